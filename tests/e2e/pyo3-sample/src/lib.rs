//! The smallest useful PyO3 extension module. Built as is, it exports `PyInit_pyo3_sample`
//! and imports as `pyo3_sample`; built with `--features mismatch`, the `#[pymodule]` is named
//! `other_name` (the classic mistake), so it exports `PyInit_other_name` and
//! `import pyo3_sample` fails.

use pyo3::prelude::*;

/// Adds two integers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    Ok(())
}

#[cfg(not(feature = "mismatch"))]
#[pymodule]
fn pyo3_sample(m: &Bound<'_, PyModule>) -> PyResult<()> {
    register(m)
}

#[cfg(feature = "mismatch")]
#[pymodule]
fn other_name(m: &Bound<'_, PyModule>) -> PyResult<()> {
    register(m)
}
