use pyo3::prelude::*;

#[pyfunction]
fn answer() -> u32 {
    mt_util::answer()
}

#[pymodule]
fn mt_wsext(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(answer, m)?)
}
