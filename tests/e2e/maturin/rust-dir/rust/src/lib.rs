use pyo3::prelude::*;

/// A declarative (`mod`) module.
#[pymodule]
mod _core {
    use pyo3::prelude::*;

    #[pyfunction]
    fn answer() -> u32 {
        42
    }
}
