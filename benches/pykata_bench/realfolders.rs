//! Real-looking plain folders (issue 11): what one folder costs pykata above the time its
//! tests take. Each folder has a module, a conftest.py with a module-scoped and an autouse
//! fixture, and four test files (parametrized tests, fixtures, `pytest.raises`, a
//! `unittest.TestCase`): 44 tests. pykata grades N of them in one `pykata check --jobs 1`
//! call (one warm engine); the same tests' work runs in one warm Python process that imports
//! each folder's test modules and calls every test function itself with its fixture values
//! (no runner at all). The difference per folder is pykata's cost: collection, fixtures,
//! reporting, the sandbox, the copy.

use crate::Options;
use crate::fixtures::{self, make_dir, write};
use crate::measure::{pykata_binary, quiet};
use crate::report::{Section, table};
use crate::stats::{Samples, TargetRow, at_most, fmt_ms, ms};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// The issue's target: at most this much per folder above its tests' own time.
const TARGET_MS: f64 = 5.0;

const SHOP: &str = r#""""A small shop: prices, carts and discounts."""


class Cart:
    def __init__(self, prices):
        self.prices = dict(prices)
        self.items = {}

    def add(self, name, count=1):
        if name not in self.prices:
            raise KeyError(name)
        if count <= 0:
            raise ValueError("count must be positive")
        self.items[name] = self.items.get(name, 0) + count

    def total(self, discount=0):
        gross = sum(self.prices[name] * count for name, count in self.items.items())
        return round(gross * (100 - discount) / 100, 2)


def price_table(n):
    return {f"item{i}": (i % 7) + 1.5 for i in range(n)}
"#;

const CONFTEST: &str = r#"import pytest

from shop import Cart, price_table

CASES = [(1, 2.5), (2, 3.5), (3, 4.5), (4, 5.5), (5, 6.5), (6, 7.5), (7, 1.5), (8, 2.5)]


def make_prices():
    return price_table(50)


def make_cart(prices):
    return Cart(prices)


@pytest.fixture(scope="module")
def prices():
    return make_prices()


@pytest.fixture
def cart(prices):
    return make_cart(prices)


@pytest.fixture(autouse=True)
def _clean():
    yield
"#;

fn test_file(index: usize) -> String {
    format!(
        r#"import unittest

import pytest

from conftest import CASES, make_cart, make_prices
from shop import Cart


@pytest.mark.parametrize("n, price", CASES)
def test_price_{index}(prices, n, price):
    assert prices[f"item{{n}}"] == price


def test_total_{index}(cart):
    cart.add("item1", 2)
    cart.add("item2")
    assert cart.total() == 8.5
    assert cart.total(discount=10) == 7.65


def test_unknown_item_{index}(cart):
    with pytest.raises(KeyError):
        cart.add("nothing")


class CartTest{index}(unittest.TestCase):
    def test_negative(self):
        with self.assertRaises(ValueError):
            Cart({{"a": 1.0}}).add("a", -1)
"#
    )
}

/// The tests' own work in one process: the same functions called directly.
const DIRECT: &str = r#"import importlib, sys, time, unittest

folders = sys.argv[1:]
started = time.perf_counter()
for folder in folders:
    sys.path.insert(0, folder)
    for name in ("shop", "conftest", "test_a", "test_b", "test_c", "test_d"):
        sys.modules.pop(name, None)
    conftest = importlib.import_module("conftest")
    prices = conftest.make_prices()
    for index, name in enumerate(("test_a", "test_b", "test_c", "test_d")):
        module = importlib.import_module(name)
        for n, price in conftest.CASES:
            getattr(module, f"test_price_{index}")(prices, n, price)
        getattr(module, f"test_total_{index}")(conftest.make_cart(prices))
        getattr(module, f"test_unknown_item_{index}")(conftest.make_cart(prices))
        case = getattr(module, f"CartTest{index}")("test_negative")
        result = unittest.TestResult()
        case.run(result)
        assert result.wasSuccessful()
    sys.path.remove(folder)
print(time.perf_counter() - started)
"#;

fn folders(root: &Path, count: usize) -> Vec<PathBuf> {
    let parent = root.join("realfolders");
    make_dir(&parent);
    (0..count)
        .map(|index| {
            let folder = parent.join(format!("course{index:03}"));
            make_dir(&folder);
            write(&folder.join("shop.py"), SHOP);
            write(&folder.join("conftest.py"), CONFTEST);
            for (i, name) in ["test_a", "test_b", "test_c", "test_d"].iter().enumerate() {
                write(&folder.join(format!("{name}.py")), &test_file(i));
            }
            folder
        })
        .collect()
}

fn run_pykata(folders: &[PathBuf]) -> f64 {
    let started = Instant::now();
    let output = std::process::Command::new(pykata_binary())
        .args(["check", "--format", "json", "--jobs", "1"])
        .args(folders)
        .stdin(Stdio::null())
        .output()
        .expect("failed to run pykata");
    let elapsed = ms(started.elapsed());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let passed = stdout
        .lines()
        .filter(|line| line.contains("\"status\":\"pass\""))
        .count();
    assert!(
        output.status.success() && passed == folders.len(),
        "pykata did not pass every folder ({passed}/{}): {}",
        folders.len(),
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

/// Seconds the direct run took inside its process (start-up left out).
fn run_direct(python: &Path, script: &Path, folders: &[PathBuf]) -> f64 {
    let output = quiet(python)
        .arg(script)
        .args(folders)
        .stdout(Stdio::piped())
        .output()
        .expect("failed to run python");
    assert!(output.status.success(), "the direct run failed");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse::<f64>()
        .expect("the direct run's time")
        * 1000.0
}

/// Runs the section.
pub fn run(options: &Options, root: &Path) -> Section {
    let count = if options.quick { 10 } else { 40 };
    let rounds = if options.quick { 3 } else { 7 };
    let folders = folders(root, count);
    let script = root.join("realfolders_direct.py");
    write(&script, DIRECT);
    let python = fixtures::bench_venv();
    // One folder graded first: the engine's start-up (the zygote) is paid once per call,
    // so the per-folder figure is (N folders - 1 folder) / (N - 1).
    let mut pykata = Samples::default();
    let mut direct = Samples::default();
    let mut cost = Samples::default();
    for round in 0..rounds {
        crate::progress("realfolders", round, rounds);
        let one = run_pykata(&folders[..1]);
        let all = run_pykata(&folders);
        let per_folder = (all - one) / (count - 1) as f64;
        let tests = run_direct(&python, &script, &folders) / count as f64;
        pykata.push(per_folder);
        direct.push(tests);
        cost.push(per_folder - tests);
    }
    let above = cost.median();
    let rows = vec![vec![
        format!("{count} folders, 44 tests each"),
        fmt_ms(pykata.median()),
        fmt_ms(direct.median()),
        fmt_ms(above),
    ]];
    let body = format!(
        "{}\nEach folder: shop.py, a conftest.py (a module-scoped fixture, a function-scoped \
         one using it, an autouse yield fixture), four test files (8 parametrized cases, two \
         fixture tests with `pytest.raises`, a `unittest.TestCase`): 44 tests. pykata: one \
         `pykata check --jobs 1` call over the {count} folders minus a call over one folder \
         (the engine's start-up), divided by {}; the tests alone: one Python process importing \
         each folder's modules and calling the test functions directly, timed inside the \
         process. Median of {rounds} rounds.\n",
        table(
            &[
                "folders",
                "pykata per folder",
                "the tests alone per folder",
                "pykata's cost per folder",
            ],
            &rows,
        ),
        count - 1,
    );
    Section {
        name: "realfolders",
        targets: vec![TargetRow {
            what: "a real-looking plain folder: pykata's cost above its tests' own time".into(),
            engine: "default, --jobs 1".into(),
            figure: fmt_ms(above),
            target: format!("<= {TARGET_MS:.0} ms"),
            verdict: at_most(above, TARGET_MS, "ms"),
        }],
        body,
    }
}
