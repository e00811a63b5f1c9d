//! The smallest useful PyO3 extension module. Built as is, it exports `PyInit_pyo3_sample`
//! and imports as `pyo3_sample`; built with `--features mismatch`, the module is named
//! `other_name`, so it exports `PyInit_other_name` and `import pyo3_sample` fails.

use pyo3::prelude::*;

/// Adds two integers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pymodule]
#[cfg_attr(feature = "mismatch", pyo3(name = "other_name"))]
fn pyo3_sample(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    Ok(())
}
