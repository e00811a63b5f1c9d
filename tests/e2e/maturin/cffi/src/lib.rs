#[no_mangle]
pub extern "C" fn mt_cffi_answer() -> u32 {
    42
}
