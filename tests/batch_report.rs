//! `report.html` rendered by a real headless browser (Debian's chromium): it renders, its
//! numbers match grades.csv, and a copied submission is paired with its source. Prints one
//! skip line when chromium is not installed (`.ci/run` installs it where it can).

mod common;

use common::{Pykata, fixture};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")?
                .to_string_lossy()
                .split(':')
                .map(|dir| Path::new(dir).join(name))
                .find(|path| path.is_file())
        })
}

/// The value of `attribute` in every start tag that has `marker` in it.
fn attributes(dom: &str, marker: &str, attribute: &str) -> Vec<String> {
    dom.split('<')
        .filter(|tag| tag.contains(marker))
        .filter_map(|tag| {
            let start = tag.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
            let end = start + tag[start..].find('"')?;
            Some(tag[start..end].to_string())
        })
        .collect()
}

#[test]
fn the_report_renders_in_chromium_and_matches_grades_csv() {
    let Some(browser) = chromium() else {
        println!(
            "SKIP the_report_renders_in_chromium: chromium is not installed (apt-get install -y chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    std::fs::create_dir_all(&class).unwrap();
    let solutions = fixture("solutions/lru_cache");
    for (student, file) in [
        ("ana", "plain_dict.py"),
        ("ben", "linked_list.py"),
        ("cy", "circular_list.py"),
        ("dee", "ordered_dict_subclass.py"),
    ] {
        std::fs::copy(solutions.join(file), class.join(format!("{student}.py"))).unwrap();
    }
    // A copy of ben's with renamed names and a comment: the pair to find.
    let copied = std::fs::read_to_string(solutions.join("linked_list.py"))
        .unwrap()
        .replace("node", "elem")
        .replace("cache", "store");
    std::fs::write(class.join("eli.py"), format!("# all my own work\n{copied}")).unwrap();
    std::fs::copy(
        common::exercise_file("data_structures/lru_cache/mutants/contains_refreshes.py"),
        class.join("fay.py"),
    )
    .unwrap();
    std::fs::write(class.join("gus.py"), "while True:\n    pass\n").unwrap();
    std::fs::write(class.join("hal.py"), "").unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, "id,name\nana,Ana\nben,Ben\nzed,Zed Absent\n").unwrap();
    let out = dir.path().join("out");
    Pykata::new()
        .args(["batch", "lru_cache"])
        .arg(&class)
        .arg("--out")
        .arg(&out)
        .arg("--roster")
        .arg(&roster)
        .args(["--timeout", "2"])
        .run()
        .expect_code(1);

    let page = out.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    let rendered = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&rendered.stdout).into_owned();
    assert!(
        dom.contains("id=\"histogram\""),
        "chromium rendered nothing: {dom}"
    );
    let screenshot = dir.path().join("report.png");
    let shot = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1200,2400",
        ])
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        std::fs::metadata(&screenshot).map(|m| m.len()).unwrap_or(0) > 10_000,
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );

    // Every student's numbers, as the browser sees them, are grades.csv's.
    let mut reader = csv::Reader::from_path(out.join("grades.csv")).unwrap();
    let csv: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .skip(1)
        .collect();
    let ids = attributes(&dom, "class=\"student", "data-id");
    let scores = attributes(&dom, "class=\"student", "data-score");
    let statuses = attributes(&dom, "class=\"student", "data-status");
    assert_eq!(ids.len(), csv.len(), "{ids:?}");
    for (index, row) in csv.iter().enumerate() {
        assert_eq!(
            (&ids[index], &scores[index], &statuses[index]),
            (&row[0], &row[2], &row[4])
        );
    }
    // The histogram counts every graded student once; the verdicts count everyone.
    let graded = csv
        .iter()
        .filter(|row| {
            row[4] == "pass"
                || row[4] == "fail"
                || (row[4] == "error" && row[5..row.len() - 1].iter().any(|cell| !cell.is_empty()))
        })
        .count();
    let bins: usize = attributes(&dom, "class=\"bin\"", "data-count")
        .iter()
        .map(|count| count.parse::<usize>().unwrap())
        .sum();
    assert_eq!(bins, graded, "{csv:?}");
    let verdicts: Vec<String> = attributes(&dom, "class=\"verdict\"", "data-verdict");
    let counts: usize = attributes(&dom, "class=\"verdict\"", "data-count")
        .iter()
        .map(|count| count.parse::<usize>().unwrap())
        .sum();
    assert_eq!(counts, csv.len());
    assert!(verdicts.contains(&"time limit".to_string()), "{verdicts:?}");
    assert!(verdicts.contains(&"missing".to_string()), "{verdicts:?}");
    // Pass rate per case: the failing mutant shows.
    let passed: Vec<usize> = attributes(&dom, "class=\"case\"", "data-passed")
        .iter()
        .map(|n| n.parse().unwrap())
        .collect();
    let ran: Vec<usize> = attributes(&dom, "class=\"case\"", "data-ran")
        .iter()
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(passed.iter().zip(&ran).any(|(p, r)| p < r));
    assert!(dom.contains("Zed Absent"), "the missing student is listed");
    assert!(dom.contains("empty file"), "the input problem is listed");
    // The copy is found, and only the copy.
    let firsts = attributes(&dom, "class=\"pair\"", "data-first");
    let seconds = attributes(&dom, "class=\"pair\"", "data-second");
    assert_eq!(
        (firsts.as_slice(), seconds.as_slice()),
        (&["ben".to_string()][..], &["eli".to_string()][..]),
        "{dom}"
    );
    assert!(dom.contains("<mark"), "matching regions are marked");
}
