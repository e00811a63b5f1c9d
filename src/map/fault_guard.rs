//! Turning a read past a file's shrunken end into an error instead of a crash.
//!
//! A mapping covers the file as it was when mapped. If another process truncates the file
//! (`cp new.so old.so`, an editor, a build script writing in place) and the check then reads a
//! page past the new end, the kernel raises SIGBUS, which would kill the run. While any mapping
//! is registered here, a SIGBUS handler looks the faulting address up among them; if it lies in
//! one, it maps a page of zeros over the faulting page and marks that mapping as changed. The
//! read resumes and sees zeros; when the check is done, the caller asks [`Guard::faulted`] and
//! reports "changed while it was being read" for that artifact, and the run goes on. A fault
//! anywhere else is not ours: the previous handler is put back and the fault recurs under it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};

/// How many mappings may be guarded at once; a run maps one file at a time per worker.
const SLOTS: usize = 64;

struct Slot {
    /// Taken by one registration, which alone writes the fields below until it lets go.
    claimed: AtomicBool,
    /// Start address of the mapping; 0 while the slot holds none. Published last, so the
    /// handler never sees a start with another mapping's length.
    start: AtomicUsize,
    len: AtomicUsize,
    faulted: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const)] // used only to initialise the array below
const FREE: Slot = Slot {
    claimed: AtomicBool::new(false),
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    faulted: AtomicBool::new(false),
};
static SLOTS_IN_USE: [Slot; SLOTS] = [FREE; SLOTS];
static PAGE_SIZE: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();
static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

/// A mapping registered with the handler; unregistered on drop.
pub struct Guard {
    slot: Option<usize>,
}

impl Guard {
    /// Registers `[start, start + len)`. With every slot taken the mapping is simply not
    /// guarded (as before this existed); the run does not fail for it.
    pub fn register(start: *const u8, len: usize) -> Guard {
        INSTALL.call_once(install);
        let start = start as usize;
        for (index, slot) in SLOTS_IN_USE.iter().enumerate() {
            if slot
                .claimed
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                continue;
            }
            slot.len.store(len, Ordering::Release);
            slot.faulted.store(false, Ordering::Release);
            slot.start.store(start, Ordering::Release);
            return Guard { slot: Some(index) };
        }
        Guard { slot: None }
    }

    /// Whether a read faulted past the file's end (so it read zeros there).
    pub fn faulted(&self) -> bool {
        self.slot
            .is_some_and(|index| SLOTS_IN_USE[index].faulted.load(Ordering::Acquire))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(index) = self.slot {
            SLOTS_IN_USE[index].start.store(0, Ordering::Release);
            SLOTS_IN_USE[index].claimed.store(false, Ordering::Release);
        }
    }
}

fn install() {
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    PAGE_SIZE.store(usize::try_from(page).unwrap_or(4096), Ordering::Release);
    // SAFETY: `action` is fully initialised (zeroed, then the handler, flags and an empty mask
    // set) before sigaction reads it, and `previous` is written by sigaction before it is read.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
        libc::sigemptyset(&mut action.sa_mask);
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0 {
            let _ = PREVIOUS.set(previous);
        }
    }
}

/// The SIGBUS handler. Only async-signal-safe work: atomic loads and stores, `mmap` (a plain
/// system call on Linux and macOS) and `sigaction`.
extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo_t for a handler installed with SA_SIGINFO.
    let address = unsafe { fault_address(info) };
    let page = PAGE_SIZE.load(Ordering::Acquire).max(1);
    for slot in &SLOTS_IN_USE {
        let start = slot.start.load(Ordering::Acquire);
        let len = slot.len.load(Ordering::Acquire);
        if start == 0 || address < start || address >= start.saturating_add(len) {
            continue;
        }
        let page_start = address & !(page - 1);
        // SAFETY: the page lies inside a read-only file mapping this process made and still
        // holds (the slot is registered until the mapping is dropped). Replacing it with an
        // anonymous zero page of the same protection changes what those bytes read as — which
        // the readers treat as untrusted data anyway — and nothing else: no other object lives
        // in that range. munmap of the whole mapping later removes this page with the rest.
        let mapped = unsafe {
            libc::mmap(
                page_start as *mut libc::c_void,
                page,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if mapped != libc::MAP_FAILED {
            slot.faulted.store(true, Ordering::Release);
            return;
        }
    }
    // Not a fault in a guarded mapping: put the previous disposition back, so the faulting
    // instruction, run again on return, gets the behaviour it would have had without us.
    // SAFETY: sigaction and signal are async-signal-safe; `previous` is the disposition the
    // kernel gave back when ours was installed (reading the OnceLock is one atomic load).
    unsafe {
        match PREVIOUS.get() {
            Some(previous) => libc::sigaction(libc::SIGBUS, previous, std::ptr::null_mut()),
            None => libc::signal(libc::SIGBUS, libc::SIG_DFL) as libc::c_int,
        };
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
unsafe fn fault_address(info: *mut libc::siginfo_t) -> usize {
    // SAFETY: the caller passes the kernel's siginfo_t; si_addr is valid for SIGBUS.
    unsafe { (*info).si_addr() as usize }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
unsafe fn fault_address(info: *mut libc::siginfo_t) -> usize {
    // SAFETY: the caller passes the kernel's siginfo_t; si_addr is valid for SIGBUS.
    unsafe { (*info).si_addr as usize }
}
