uniffi::setup_scaffolding!();

#[uniffi::export]
fn answer() -> u32 {
    42
}
