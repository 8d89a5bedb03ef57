//! The native encoder the zygote hands to the harness's channel: a message's JSON line as
//! the harness's json path writes it, built in one byte buffer instead of a Python str per
//! value.
//!
//! The json path is `(json.dumps(message, ensure_ascii=False, separators=(",", ":")) +
//! "\n").encode("utf-8", "surrogatepass")` (`harness/pykata_harness/channel.py`). This
//! encoder gives the same bytes for every message built only of exact `dict` (exact `str`
//! keys, insertion order), `list`, `tuple`, `str`, `int`, `float`, `True`, `False` and
//! `None`, nested at most [`MAX_DEPTH`] deep; for anything else it returns `None` and the
//! channel encodes that message with the json path (which also raises the errors: an int
//! too long for `str`, a circular list). It reads objects through the C API only: it runs
//! no Python code (no `__repr__`, `__iter__` or `__eq__` of anything) and never releases
//! the GIL, so the objects it borrows cannot change while it reads them (the zygote hands
//! it over only when the interpreter has a GIL). It keeps its own stack (deep nesting
//! cannot overflow the thread's), allocates fallibly (a message too large for memory is
//! left to the json path too) and never lets a panic out.

use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use pyo3::ffi;
use pyo3::prelude::*;

/// How deeply lists, tuples and dicts may nest in a message the encoder takes: the message
/// itself is one level. A deeper message goes to the json path.
const MAX_DEPTH: usize = 200;

/// Strings are escaped this many code points at a time, with room reserved for the longest
/// escape of each (six bytes: `\u00XX`).
const CHUNK: usize = 4096;

const DOC: &CStr = c"encode_line(message, /)\n--\n\n\
The message's JSON line (bytes, newline included) exactly as the harness's json path \
writes it, or None when the message holds anything but exact dict (str keys), list, tuple, \
str, int, float, True, False and None, or nests deeper than 200.";

/// The native encoder as a Python function `encode_line(message) -> bytes | None`.
pub(super) fn native_encoder(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    // Made once per zygote; the function object keeps a pointer to it for good.
    let def: &'static mut ffi::PyMethodDef = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"encode_line".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunction: encode_line,
        },
        ml_flags: ffi::METH_O,
        ml_doc: DOC.as_ptr(),
    }));
    // SAFETY: attached (`py`); the definition lives for the rest of the process and
    // `encode_line` has the METH_O signature.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyCFunction_NewEx(def, ptr::null_mut(), ptr::null_mut()),
        )
    }
}

/// The METH_O function: bytes, or None for a message left to the json path. Never raises.
unsafe extern "C" fn encode_line(
    _module: *mut ffi::PyObject,
    message: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let line = catch_unwind(AssertUnwindSafe(|| {
        let mut out = Vec::new();
        out.try_reserve(4096).ok()?; // room for most lines
        // SAFETY: CPython calls a METH_O function attached, with a live argument.
        unsafe { encode(message, &mut out) }.ok()?;
        put(&mut out, b"\n").ok()?;
        Some(out)
    }));
    // SAFETY: attached (CPython called us); the buffer is live for the copy.
    unsafe {
        if let Ok(Some(line)) = line {
            let bytes = ffi::PyBytes_FromStringAndSize(
                line.as_ptr().cast::<c_char>(),
                line.len() as ffi::Py_ssize_t,
            );
            if !bytes.is_null() {
                return bytes;
            }
            ffi::PyErr_Clear(); // out of memory: the json path decides
        }
        // Py_IncRef rather than Py_NewRef, which pyo3's ffi has only from Python 3.10.
        let none = ffi::Py_None();
        ffi::Py_IncRef(none);
        none
    }
}

/// Why a message is left to the json path.
struct Refused;

type Encoded = Result<(), Refused>;

/// A list, tuple or dict being written: where its next item is.
enum Open {
    /// A list or a tuple (both are written as a JSON array).
    Array {
        items: *mut ffi::PyObject,
        is_list: bool,
        next: isize,
    },
    Dict {
        dict: *mut ffi::PyObject,
        pos: isize,
        first: bool,
    },
}

/// Writes `message` as JSON into `out`, depth first, on a stack of its own.
///
/// # Safety
/// Attached to the interpreter; `message` is a live object. No Python code runs while this
/// does, so the objects it borrows stay alive and unchanged.
unsafe fn encode(message: *mut ffi::PyObject, out: &mut Vec<u8>) -> Encoded {
    let (str_type, list_type, tuple_type, dict_type, int_type, float_type) = (
        &raw mut ffi::PyUnicode_Type,
        &raw mut ffi::PyList_Type,
        &raw mut ffi::PyTuple_Type,
        &raw mut ffi::PyDict_Type,
        &raw mut ffi::PyLong_Type,
        &raw mut ffi::PyFloat_Type,
    );
    // SAFETY: the addresses of the interpreter's singletons.
    let (none, true_, false_) = unsafe { (ffi::Py_None(), ffi::Py_True(), ffi::Py_False()) };
    let mut open: Vec<Open> = Vec::new();
    let mut value = message;
    loop {
        // Write `value`, or open it.
        // SAFETY: `value` is the message or an item of an open container: alive (see above).
        let kind = unsafe { ffi::Py_TYPE(value) };
        if kind == str_type {
            // SAFETY: an exact str.
            unsafe { write_str(out, value)? };
        } else if kind == list_type || kind == tuple_type || kind == dict_type {
            if open.len() >= MAX_DEPTH {
                return Err(Refused);
            }
            open.try_reserve(1).map_err(|_| Refused)?;
            if kind == list_type || kind == tuple_type {
                put(out, b"[")?;
                open.push(Open::Array {
                    items: value,
                    is_list: kind == list_type,
                    next: 0,
                });
            } else {
                put(out, b"{")?;
                open.push(Open::Dict {
                    dict: value,
                    pos: 0,
                    first: true,
                });
            }
        } else if kind == int_type {
            // SAFETY: an exact int.
            unsafe { write_int(out, value)? };
        } else if kind == float_type {
            // SAFETY: an exact float.
            unsafe { write_float(out, ffi::PyFloat_AS_DOUBLE(value))? };
        } else if value == none {
            put(out, b"null")?;
        } else if value == true_ {
            put(out, b"true")?;
        } else if value == false_ {
            put(out, b"false")?;
        } else {
            return Err(Refused);
        }
        // The next value: the next item of the innermost open container, closing those
        // that are done.
        loop {
            let Some(innermost) = open.last_mut() else {
                return Ok(());
            };
            // SAFETY: the open containers are alive and unchanged (see above); indexes
            // are checked against their current length.
            let item = unsafe {
                match innermost {
                    Open::Array {
                        items,
                        is_list,
                        next,
                    } => {
                        let size = if *is_list {
                            ffi::PyList_GET_SIZE(*items)
                        } else {
                            ffi::PyTuple_GET_SIZE(*items)
                        };
                        if *next < size {
                            if *next > 0 {
                                put(out, b",")?;
                            }
                            *next += 1;
                            Some(if *is_list {
                                ffi::PyList_GET_ITEM(*items, *next - 1)
                            } else {
                                ffi::PyTuple_GET_ITEM(*items, *next - 1)
                            })
                        } else {
                            put(out, b"]")?;
                            None
                        }
                    }
                    Open::Dict { dict, pos, first } => {
                        let mut key = ptr::null_mut();
                        let mut item = ptr::null_mut();
                        if ffi::PyDict_Next(*dict, pos, &mut key, &mut item) != 0 {
                            if !*first {
                                put(out, b",")?;
                            }
                            *first = false;
                            if ffi::Py_TYPE(key) != str_type {
                                return Err(Refused);
                            }
                            write_str(out, key)?;
                            put(out, b":")?;
                            Some(item)
                        } else {
                            put(out, b"}")?;
                            None
                        }
                    }
                }
            };
            match item {
                Some(item) => {
                    value = item;
                    break;
                }
                None => {
                    open.pop();
                }
            }
        }
    }
}

/// Appends `bytes`, failing instead of aborting when memory runs out.
#[inline]
fn put(out: &mut Vec<u8>, bytes: &[u8]) -> Encoded {
    out.try_reserve(bytes.len()).map_err(|_| Refused)?;
    out.extend_from_slice(bytes);
    Ok(())
}

/// Writes an exact str as `json.encoder.encode_basestring` does, in UTF-8 with lone
/// surrogates encoded as "surrogatepass" does (three bytes each, like any other code point
/// of the Basic Multilingual Plane).
///
/// # Safety
/// Attached; `text` is a live exact str.
unsafe fn write_str(out: &mut Vec<u8>, text: *mut ffi::PyObject) -> Encoded {
    // SAFETY: reading the str's header and, for a kind it has, its code points.
    unsafe {
        let length = ffi::PyUnicode_GET_LENGTH(text) as usize;
        match ffi::PyUnicode_KIND(text) {
            ffi::PyUnicode_1BYTE_KIND => {
                let units = ffi::PyUnicode_DATA(text).cast::<u8>();
                write_latin1(out, std::slice::from_raw_parts(units, length))
            }
            ffi::PyUnicode_2BYTE_KIND => {
                let units = ffi::PyUnicode_DATA(text).cast::<u16>();
                write_wide(out, std::slice::from_raw_parts(units, length))
            }
            ffi::PyUnicode_4BYTE_KIND => {
                let units = ffi::PyUnicode_DATA(text).cast::<u32>();
                write_wide(out, std::slice::from_raw_parts(units, length))
            }
            // A legacy str not yet made ready (Python < 3.12): the json path handles it.
            _ => Err(Refused),
        }
    }
}

/// Which ASCII bytes a JSON string holds as they are: printable ones but `"` and `\`.
const PLAIN: [bool; 128] = {
    let mut plain = [false; 128];
    let mut c = 0x20;
    while c < 128 {
        plain[c] = c != b'"' as usize && c != b'\\' as usize;
        c += 1;
    }
    plain
};

/// A 1-byte-kind str (code points below 256), runs of plain ASCII copied whole.
fn write_latin1(out: &mut Vec<u8>, text: &[u8]) -> Encoded {
    out.try_reserve(text.len() + 2).map_err(|_| Refused)?;
    out.push(b'"');
    for chunk in text.chunks(CHUNK) {
        out.try_reserve(chunk.len() * 6 + 1).map_err(|_| Refused)?;
        let mut plain_from = 0;
        for (i, &byte) in chunk.iter().enumerate() {
            if byte < 128 && PLAIN[byte as usize] {
                continue;
            }
            out.extend_from_slice(&chunk[plain_from..i]);
            write_char(out, u32::from(byte));
            plain_from = i + 1;
        }
        out.extend_from_slice(&chunk[plain_from..]);
    }
    out.push(b'"');
    Ok(())
}

/// A 2- or 4-byte-kind str.
fn write_wide<T: Copy + Into<u32>>(out: &mut Vec<u8>, text: &[T]) -> Encoded {
    out.try_reserve(text.len() + 2).map_err(|_| Refused)?;
    out.push(b'"');
    for chunk in text.chunks(CHUNK) {
        out.try_reserve(chunk.len() * 6 + 1).map_err(|_| Refused)?;
        for &unit in chunk {
            write_char(out, unit.into());
        }
    }
    out.push(b'"');
    Ok(())
}

/// One code point, escaped or in UTF-8 (surrogates too); `out` has room for six bytes.
#[inline]
fn write_char(out: &mut Vec<u8>, c: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        0x22 => out.extend_from_slice(b"\\\""),
        0x5c => out.extend_from_slice(b"\\\\"),
        0x0a => out.extend_from_slice(b"\\n"),
        0x0d => out.extend_from_slice(b"\\r"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        0..0x20 => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[(c >> 4) as usize],
            HEX[(c & 15) as usize],
        ]),
        0x20..0x80 => out.push(c as u8),
        0x80..0x800 => out.extend_from_slice(&[0xc0 | (c >> 6) as u8, 0x80 | (c & 0x3f) as u8]),
        0x800..0x10000 => out.extend_from_slice(&[
            0xe0 | (c >> 12) as u8,
            0x80 | (c >> 6 & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]),
        _ => out.extend_from_slice(&[
            0xf0 | (c >> 18 & 0x07) as u8,
            0x80 | (c >> 12 & 0x3f) as u8,
            0x80 | (c >> 6 & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]),
    }
}

/// Writes an exact int as `int.__repr__` does (what the json path writes).
///
/// # Safety
/// Attached; `number` is a live exact int.
unsafe fn write_int(out: &mut Vec<u8>, number: *mut ffi::PyObject) -> Encoded {
    let mut overflow = 0;
    // SAFETY: an exact int converts without calling anything (no __index__).
    let small = unsafe { ffi::PyLong_AsLongLongAndOverflow(number, &mut overflow) };
    if overflow == 0 {
        // An exact int cannot fail to convert otherwise; if it somehow did, give up.
        // SAFETY: attached.
        if small == -1 && unsafe { !ffi::PyErr_Occurred().is_null() } {
            // SAFETY: attached.
            unsafe { ffi::PyErr_Clear() };
            return Err(Refused);
        }
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = small.unsigned_abs();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if small < 0 {
            put(out, b"-")?;
        }
        return put(out, &digits[start..]);
    }
    // Beyond 64 bits: int's own repr (C code), under the same limit on digits
    // (sys.set_int_max_str_digits) as the json path, which then raises the same error.
    // SAFETY: attached; the repr of an exact int is int.__repr__, which runs no Python.
    unsafe {
        let repr = ffi::PyObject_Repr(number);
        if repr.is_null() {
            ffi::PyErr_Clear();
            return Err(Refused);
        }
        let written = if ffi::PyUnicode_KIND(repr) == ffi::PyUnicode_1BYTE_KIND {
            let digits = std::slice::from_raw_parts(
                ffi::PyUnicode_DATA(repr).cast::<u8>(),
                ffi::PyUnicode_GET_LENGTH(repr) as usize,
            );
            put(out, digits)
        } else {
            Err(Refused)
        };
        ffi::Py_DecRef(repr);
        written
    }
}

/// Writes a float as the json path does: `float.__repr__`, and `NaN`, `Infinity`,
/// `-Infinity` for the values JSON has no number for.
///
/// # Safety
/// Attached.
unsafe fn write_float(out: &mut Vec<u8>, number: f64) -> Encoded {
    if number.is_nan() {
        return put(out, b"NaN");
    }
    if number == f64::INFINITY {
        return put(out, b"Infinity");
    }
    if number == f64::NEG_INFINITY {
        return put(out, b"-Infinity");
    }
    // SAFETY: attached; what float.__repr__ calls. The text is NUL-terminated, ours to free.
    unsafe {
        let text = ffi::PyOS_double_to_string(
            number,
            b'r' as c_char,
            0,
            ffi::Py_DTSF_ADD_DOT_0,
            ptr::null_mut(),
        );
        if text.is_null() {
            ffi::PyErr_Clear();
            return Err(Refused);
        }
        let written = put(out, CStr::from_ptr(text).to_bytes());
        ffi::PyMem_Free(text.cast());
        written
    }
}
