use std::ptr::{addr_of_mut, null_mut};

use pyo3_ffi::*;

static mut MODULE_DEF: PyModuleDef = PyModuleDef {
    m_base: PyModuleDef_HEAD_INIT,
    m_name: c"mt_ffi".as_ptr(),
    m_doc: std::ptr::null(),
    m_size: 0,
    m_methods: null_mut(),
    m_slots: null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
};

/// # Safety
/// Called by CPython's import machinery only.
#[no_mangle]
pub unsafe extern "C" fn PyInit_mt_ffi() -> *mut PyObject {
    PyModule_Create(addr_of_mut!(MODULE_DEF))
}
