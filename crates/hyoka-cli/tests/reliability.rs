//! Never lose or corrupt output (issue 9): full disks, concurrent runs,
//! kills, special files, unbounded reads, stray bytes, empty inputs, and
//! the smaller failures. One test (or group) per numbered failure.

mod support;

use std::collections::BTreeMap;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
#[cfg(unix)]
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

#[cfg(unix)]
use support::files;
use support::{department, json, root};

const GOOD: &str = "fixtures/iga/000_46863bf7e879b4fa.txt";

/// `count` text files made from the real document, with department names
/// varied over `departments` variants each, so the batch writes many
/// department files of many sheets.
fn corpus(dir: &Path, count: usize, departments: usize, tag: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let text = std::fs::read_to_string(root().join(GOOD)).unwrap();
    for i in 0..count {
        let k = i % departments;
        let varied = ["企画振興部", "総務部", "財務部", "デジタル自治推進局"]
            .iter()
            .fold(text.clone(), |t, d| t.replace(d, &format!("{d}{tag}{k}")));
        std::fs::write(dir.join(format!("city{i:03}.txt")), varied).unwrap();
    }
}

fn hyoka_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hyoka"));
    command.args(args).current_dir(root());
    command
}

fn run(args: &[&str]) -> Output {
    hyoka_command(args).output().expect("hyoka runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir`, recursively, hidden ones (the lock file) left
/// out: the output set as a reader sees it.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn hidden_temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".hyoka-") && n.ends_with(".tmp"))
        .collect()
}

/// `hyoka import INPUTS --out OUT --quiet --replace EXTRA`: these tests
/// are about one run's whole set against another's, so each run writes the
/// folder anew rather than adding to it.
fn import(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&str> = vec!["import"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap(), "--quiet", "--replace"]);
    args.extend(extra);
    run(&args)
}

fn validate(dir: &Path) -> Output {
    run(&["validate", dir.to_str().unwrap()])
}

fn assert_valid(dir: &Path) {
    let v = validate(dir);
    assert!(
        v.status.success(),
        "validate {}: {}",
        dir.display(),
        stderr(&v)
    );
}

/// Waits for a child, failing (and killing it) instead of hanging the
/// suite if it never ends: the bug under test is a hang.
fn wait_or_kill(mut child: Child, what: &str) -> Output {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
/// A small file system, mounted for the test's life, or `None` where
/// mounting is not permitted (not root, no CAP_SYS_ADMIN).
struct Tmpfs(PathBuf);

#[cfg(unix)]
impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_owned()))
    }
}

#[cfg(unix)]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(unix)]
/// Imports `big` into `out`, which already holds a good output, on a file
/// system that runs out; the earlier output must survive byte for byte.
fn assert_full_disk_keeps_earlier_output(out: &Path, big: &Path, limit_file_size: Option<u64>) {
    let earlier = snapshot(out);
    assert!(earlier.len() > 1);
    let mut command = hyoka_command(&[
        "import",
        "--replace",
        big.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    if let Some(limit) = limit_file_size {
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // EFBIG instead of a SIGXFSZ kill: the write fails as on a
                // full disk.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let rl = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &rl) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let failed = command.output().unwrap();
    let text = stderr(&failed);
    assert_eq!(failed.status.code(), Some(3), "{text}");
    assert!(text.contains("NOTHING written"), "{text}");
    assert!(!text.contains("removed"), "{text}");
    assert_eq!(snapshot(out), earlier, "the earlier output changed");
    assert!(hidden_temporaries(out).is_empty());
    assert_valid(out);
}

#[cfg(unix)]
/// Failure 1: a full disk gave corrupt files that looked complete, a valid
/// index listing every input `ok`, and deleted the earlier output as stale.
#[test]
fn f1_disk_full_leaves_the_earlier_output_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    corpus(&big, 60, 4, "新");
    let mount = tmp.path().join("small");
    match Tmpfs::mount(&mount, "1m") {
        Some(_fs) => {
            let out = mount.join("out");
            let first = import(&[&root().join(GOOD)], &out, &[]);
            assert!(first.status.success(), "{}", stderr(&first));
            assert_full_disk_keeps_earlier_output(&out, &big, None);
        }
        None => {
            eprintln!("NOTE: cannot mount a tmpfs here; using RLIMIT_FSIZE for the full disk");
            let out = tmp.path().join("out");
            let first = import(&[&root().join(GOOD)], &out, &[]);
            assert!(first.status.success(), "{}", stderr(&first));
            assert_full_disk_keeps_earlier_output(&out, &big, Some(256 << 10));
        }
    }
}

#[cfg(unix)]
/// Failure 1 again, with a real `EFBIG` from the kernel (`ulimit -f`).
#[test]
fn f1_file_size_limit_leaves_the_earlier_output_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    corpus(&big, 60, 4, "新");
    let out = tmp.path().join("out");
    let first = import(&[&root().join(GOOD)], &out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_full_disk_keeps_earlier_output(&out, &big, Some(256 << 10));
}

/// Failure 2: two imports into one folder destroyed each other. Now the
/// second waits for the first; the folder always ends as one whole run.
#[test]
fn f2_concurrent_imports_leave_one_whole_valid_set() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    corpus(&a, 12, 3, "甲");
    corpus(&b, 12, 5, "乙");
    let reference = |input: &Path, name: &str| {
        let out = tmp.path().join(name);
        assert!(import(&[input], &out, &[]).status.success());
        snapshot(&out)
    };
    let (only_a, only_b) = (reference(&a, "ref-a"), reference(&b, "ref-b"));
    assert_ne!(only_a, only_b);
    let out = tmp.path().join("out");
    for round in 0..4 {
        let spawn = |input: &Path| {
            hyoka_command(&[
                "import",
                "--replace",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
        };
        let (first, second) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let one = spawn(first);
        let two = spawn(second);
        let one = wait_or_kill(one, "first import");
        let two = wait_or_kill(two, "second import");
        assert!(one.status.success(), "round {round}: {}", stderr(&one));
        assert!(two.status.success(), "round {round}: {}", stderr(&two));
        assert_valid(&out);
        let now = snapshot(&out);
        assert!(
            now == only_a || now == only_b,
            "round {round}: a mix of both runs"
        );
        assert!(hidden_temporaries(&out).is_empty());
    }
}

#[cfg(unix)]
/// Failure 3: a FIFO named as input hung the batch, and `hyoka validate`
/// on a FIFO hung too. Now it fails alone, at once; one met in a folder is
/// listed as skipped and reported.
#[test]
fn f3_fifo_fails_alone_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("f.txt");
    mkfifo(&fifo);
    let out = tmp.path().join("out");
    let child = hyoka_command(&[
        "import",
        "--replace",
        fifo.to_str().unwrap(),
        GOOD,
        "--out",
        out.to_str().unwrap(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let done = wait_or_kill(child, "import of a FIFO");
    assert_eq!(done.status.code(), Some(1), "{}", stderr(&done));
    assert!(stderr(&done).contains("named pipe"), "{}", stderr(&done));
    let index = json(&out.join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "error");
    assert_eq!(index["inputs"][1]["status"], "ok");
    assert!(department(&out, "総務部").exists());

    let child = hyoka_command(&["validate", fifo.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let done = wait_or_kill(child, "validate of a FIFO");
    assert_eq!(done.status.code(), Some(1));

    // In a walked folder: listed as skipped with the reason, and said.
    let folder = tmp.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(root().join(GOOD), folder.join("good.txt")).unwrap();
    mkfifo(&folder.join("pipe.txt"));
    let out = tmp.path().join("out2");
    let child = hyoka_command(&[
        "import",
        "--replace",
        folder.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let done = wait_or_kill(child, "import of a folder with a FIFO");
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(stderr(&done).contains("pipe.txt"), "{}", stderr(&done));
    let index = json(&out.join("index.json"));
    let pipe = &index["inputs"][1];
    assert_eq!(pipe["status"], "skipped");
    assert!(
        pipe["error"].as_str().unwrap().contains("named pipe"),
        "{pipe}"
    );
}

#[cfg(unix)]
/// Failure 4: `--max-input-bytes` applied only to regular files, and
/// `/dev/zero` grew without end. A device is refused at once, and reads
/// are bounded whatever the file.
#[test]
fn f4_devices_are_refused_and_reads_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let child = hyoka_command(&["import", "/dev/zero", "--out", out.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let done = wait_or_kill(child, "import of /dev/zero");
    assert_eq!(done.status.code(), Some(1));
    assert!(
        stderr(&done).contains("character device"),
        "{}",
        stderr(&done)
    );

    let big = tmp.path().join("big.txt");
    std::fs::write(&big, "a\tb\n".repeat(1000)).unwrap();
    let done = import(&[&big], &out, &["--max-input-bytes", "100"]);
    assert_eq!(done.status.code(), Some(1));
    assert!(
        stderr(&done).contains("--max-input-bytes"),
        "{}",
        stderr(&done)
    );
}

/// Failure 5: `hyoka validate` read anything whole and echoed a failing
/// value whole. It has a size limit, and names a value by pointer with a
/// short excerpt.
#[test]
fn f5_validate_is_bounded_and_shows_excerpts() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.json");
    let array = format!("[{}0]", "0,".repeat(1 << 20));
    std::fs::write(&big, &array).unwrap();
    let done = run(&["validate", "--max-bytes", "100000", big.to_str().unwrap()]);
    assert_eq!(done.status.code(), Some(1));
    assert!(stderr(&done).contains("--max-bytes"), "{}", stderr(&done));
    // Within the limit: wrong, and reported in a few hundred bytes.
    let done = run(&["validate", big.to_str().unwrap()]);
    assert_eq!(done.status.code(), Some(1));
    assert!(
        done.stderr.len() < 4096,
        "{} bytes of stderr",
        done.stderr.len()
    );

    let out = tmp.path().join("out");
    assert!(import(&[&root().join(GOOD)], &out, &[]).status.success());
    let mut doc = json(&department(&out, "総務部"));
    doc["sheets"][0]["basic_projects"][0]["progress"]["code"] = "x".repeat(100_000).into();
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    let done = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(done.status.code(), Some(1));
    let text = stderr(&done);
    assert!(
        text.contains("at `/sheets/0/basic_projects/0/progress`"),
        "{text}"
    );
    assert!(text.len() < 4096, "{} bytes of stderr", text.len());
}

/// Failure 6: one stray control byte rejected a whole text file as binary.
#[test]
fn f6_stray_control_bytes_are_removed_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(GOOD)).unwrap();
    let with_bel = text
        .replacen("広聴", "広\u{7}聴", 1)
        .replacen("総務部", "総務\u{b}部", 1);
    let file = tmp.path().join("bel.txt");
    std::fs::write(&file, with_bel).unwrap();
    let out = tmp.path().join("out");
    let done = import(&[&file], &out, &[]);
    assert!(done.status.success(), "{}", stderr(&done));
    let index = json(&out.join("index.json"));
    assert_eq!(index["inputs"][0]["sheets"], 5);
    let sheets = json(&department(&out, "総務部"));
    let warnings = sheets["sheets"][0]["warnings"].as_array().unwrap();
    let removed: Vec<_> = warnings
        .iter()
        .filter(|w| w["code"] == "control_characters_removed")
        .collect();
    assert_eq!(removed.len(), 2, "{warnings:?}");
    assert!(
        removed
            .iter()
            .all(|w| w["row"].is_u64() && w["column"].is_u64())
    );
    // A NUL byte still makes a file binary.
    // Not `nul.txt`: NUL is a device name on Windows.
    let nul = tmp.path().join("with-nul.txt");
    std::fs::write(&nul, text.replacen("広聴", "広\u{0}聴", 1)).unwrap();
    let done = import(&[&nul], &tmp.path().join("out2"), &[]);
    assert_eq!(done.status.code(), Some(1));
    assert!(stderr(&done).contains("binary"), "{}", stderr(&done));
}

/// Failure 7: a kill between renames left a set that disagreed with
/// itself, unnoticed. After a kill at any point the folder is either a
/// whole set (`hyoka validate` passes) or `hyoka validate` says what
/// disagrees; the next run repairs it.
#[test]
fn f7_killed_imports_leave_a_checkable_folder_the_next_run_repairs() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    corpus(&old, 6, 3, "旧");
    corpus(&new, 16, 4, "新");
    let out = tmp.path().join("out");
    let started = Instant::now();
    assert!(import(&[&new], &out, &[]).status.success());
    // Kill points spread over a whole run's length, not a timed assertion.
    let whole = started.elapsed();
    let only_new = snapshot(&out);
    let mut outcomes = (0, 0);
    for step in 0..24u32 {
        assert!(import(&[&old], &out, &[]).status.success());
        let only_old = snapshot(&out);
        let mut child = hyoka_command(&[
            "import",
            "--replace",
            new.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        std::thread::sleep(whole * step / 20);
        let _ = child.kill();
        let _ = child.wait();
        let check = validate(&out);
        let now = snapshot(&out);
        if check.status.success() {
            assert!(
                now == only_old || now == only_new,
                "step {step}: valid but a mix"
            );
            outcomes.0 += 1;
        } else {
            assert_eq!(check.status.code(), Some(1));
            assert!(
                stderr(&check).contains("disagrees") || stderr(&check).contains("index.json"),
                "step {step}: {}",
                stderr(&check)
            );
            outcomes.1 += 1;
        }
        let repair = import(&[&new], &out, &[]);
        assert!(repair.status.success(), "{}", stderr(&repair));
        assert_valid(&out);
        assert_eq!(snapshot(&out), only_new);
        assert!(hidden_temporaries(&out).is_empty());
    }
    eprintln!(
        "kills: {} left a whole set, {} a reported disagreement",
        outcomes.0, outcomes.1
    );
}

/// Failure 7, at the exact moment: killed between two renames (through the
/// test-only `HYOKA_TEST_PAUSE_AFTER_RENAMES` hook), the folder holds new
/// department files beside the old index; `hyoka validate` names them, and
/// the next run repairs the set.
#[test]
fn f7_a_kill_between_renames_is_reported_and_repaired() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    corpus(&old, 4, 2, "旧");
    corpus(&new, 4, 2, "新");
    let out = tmp.path().join("out");
    assert!(import(&[&new], &out, &[]).status.success());
    let only_new = snapshot(&out);
    assert!(import(&[&old], &out, &[]).status.success());
    let only_old = snapshot(&out);
    for pause_after in [1, 3] {
        let mut child = hyoka_command(&[
            "import",
            "--replace",
            new.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .env("HYOKA_TEST_PAUSE_AFTER_RENAMES", pause_after.to_string())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        assert!(
            lines.any(|l| l.unwrap().contains("test pause")),
            "the import never reached its commit"
        );
        child.kill().unwrap();
        child.wait().unwrap();
        let check = validate(&out);
        assert_eq!(check.status.code(), Some(1));
        let text = stderr(&check);
        // Renamed files are either new (not listed) or replaced ones whose
        // hash the old index does not record.
        assert!(
            (text.contains("not listed in index.json") || text.contains("SHA-256"))
                && text.contains("disagrees"),
            "{text}"
        );
        // The next run, whatever it imports, leaves a whole set: here the
        // old corpus again, so the killed run's files must go although no
        // index lists them.
        let repair = import(&[&old], &out, &[]);
        assert!(repair.status.success(), "{}", stderr(&repair));
        assert_valid(&out);
        assert_eq!(snapshot(&out), only_old);
        let repair = import(&[&new], &out, &[]);
        assert!(repair.status.success(), "{}", stderr(&repair));
        assert_valid(&out);
        assert_eq!(snapshot(&out), only_new);
        assert!(import(&[&old], &out, &[]).status.success());
    }
}

/// Failure 8: an empty input folder (or one of files hyoka does not read)
/// wiped the published set and reported success.
#[test]
fn f8_no_input_to_read_is_an_error_and_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(import(&[&root().join(GOOD)], &out, &[]).status.success());
    let earlier = snapshot(&out);
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let done = import(&[&empty], &out, &[]);
    assert_eq!(done.status.code(), Some(1));
    assert!(
        stderr(&done).contains("no input to read"),
        "{}",
        stderr(&done)
    );
    assert_eq!(snapshot(&out), earlier);

    let others = tmp.path().join("others");
    std::fs::create_dir(&others).unwrap();
    std::fs::write(others.join("a.rtf"), b"{\\rtf1}").unwrap();
    std::fs::write(others.join("b.docx"), b"PK").unwrap();
    let done = import(&[&others], &out, &["--strict"]);
    assert_eq!(done.status.code(), Some(1));
    assert!(
        stderr(&done).contains("2 file(s) of other types"),
        "{}",
        stderr(&done)
    );
    assert_eq!(snapshot(&out), earlier);

    // Beside a file it reads, a file of another type is listed as skipped
    // and counted in the summary.
    std::fs::copy(root().join(GOOD), others.join("good.txt")).unwrap();
    let done = run(&[
        "import",
        "--replace",
        others.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(
        stderr(&done).contains("2 skipped (2 not read"),
        "{}",
        stderr(&done)
    );
    let index = json(&out.join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "skipped");
    assert!(
        index["inputs"][0]["error"]
            .as_str()
            .unwrap()
            .contains("not a file type")
    );
}

/// Failure 9: names printed raw on stderr.
// Names with control characters cannot be made on Windows.
#[cfg(unix)]
#[test]
fn f9_names_on_stderr_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("x\nerror: forged\u{1b}[2J.txt");
    std::fs::write(&bad, b"\x00\x01binary").unwrap();
    let done = import(&[&bad, &root().join(GOOD)], &tmp.path().join("out"), &[]);
    assert_eq!(done.status.code(), Some(1));
    let text = stderr(&done);
    assert!(
        !text.lines().any(|l| l.starts_with("error: forged")),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("x\\nerror: forged\\u{1b}[2J.txt"), "{text}");
}

/// Failure 9: an empty file was `skipped` though README lists it among
/// errors.
#[test]
fn f9_an_empty_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = tmp.path().join("out");
    let done = import(&[&empty, &root().join(GOOD)], &out, &[]);
    assert_eq!(done.status.code(), Some(1));
    let index = json(&out.join("index.json"));
    assert_eq!(index["inputs"][0]["status"], "error");
    assert!(
        index["inputs"][0]["error"]
            .as_str()
            .unwrap()
            .contains("empty")
    );
}

/// Failure 9: stale cleanup deleted names hyoka never writes.
#[test]
fn f9_stale_cleanup_spares_names_hyoka_never_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(import(&[&root().join(GOOD)], &out, &[]).status.success());
    std::fs::write(out.join(".keep.json"), b"{}").unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    let mut index = json(&out.join("index.json"));
    for name in [".keep.json", "notes.txt"] {
        index["departments"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"department": name, "file": name, "sheets": 1, "sha256": ""}));
    }
    std::fs::write(out.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    let other = tmp.path().join("other");
    corpus(&other, 1, 1, "別");
    let done = import(&[&other], &out, &[]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(out.join(".keep.json").exists());
    assert!(out.join("notes.txt").exists());
    // The earlier run's department files are gone.
    assert!(!department(&out, "総務部").exists());
}

#[cfg(unix)]
/// Failure 9: output files were mode 0600 whatever the umask.
#[test]
fn f9_output_files_follow_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let jsonl = tmp.path().join("sheets.jsonl");
    let mut command = hyoka_command(&[
        "import",
        "--replace",
        GOOD,
        "--out",
        out.to_str().unwrap(),
        "--jsonl",
        jsonl.to_str().unwrap(),
    ]);
    // SAFETY: umask is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0o002);
            Ok(())
        });
    }
    assert!(command.output().unwrap().status.success());
    for name in files(&out).keys() {
        let mode = std::fs::metadata(out.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o664, "{name}");
    }
    let mode = std::fs::metadata(&jsonl).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o664, "JSON Lines");
}

#[cfg(unix)]
/// Failure 9: a dangling `--out` symlink failed with "File exists".
#[test]
fn f9_a_dangling_out_link_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(tmp.path().join("gone"), &link).unwrap();
    let done = import(&[&root().join(GOOD)], &link, &[]);
    assert_eq!(done.status.code(), Some(3));
    let text = stderr(&done);
    assert!(
        text.contains("symbolic link") && text.contains("does not exist"),
        "{text}"
    );
    assert!(!text.contains("File exists"), "{text}");
}

#[cfg(unix)]
/// Failure 3, for what hyoka reads back: a data package's CSV table and an
/// output folder's department file swapped for FIFOs fail at once in
/// `hyoka validate` and `hyoka report` instead of hanging them.
#[test]
fn f3_fifos_in_an_output_folder_do_not_hang_validate_or_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let done = import(&[&root().join(GOOD)], &out, &["--csv"]);
    assert!(done.status.success(), "{}", stderr(&done));
    let table = out.join("csv/sheets.csv");
    std::fs::remove_file(&table).unwrap();
    mkfifo(&table);
    let package = out.join("datapackage.json");
    let child = hyoka_command(&["validate", package.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let done = wait_or_kill(child, "validate of a package with a FIFO table");
    assert_eq!(done.status.code(), Some(1));
    assert!(
        stderr(&done).contains("csv/sheets.csv: cannot read: not a regular file"),
        "{}",
        stderr(&done)
    );

    let index = json(&out.join("index.json"));
    let department = out.join(index["departments"][0]["file"].as_str().unwrap());
    std::fs::remove_file(&department).unwrap();
    mkfifo(&department);
    let site = tmp.path().join("site");
    let child = hyoka_command(&[
        "report",
        out.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let done = wait_or_kill(child, "report of a folder with a FIFO department file");
    assert_ne!(done.status.code(), Some(0));
    assert!(
        stderr(&done).contains("not a regular file"),
        "{}",
        stderr(&done)
    );
}

/// A file of the set open in another program that refuses to share its
/// deletion, as Excel holds a CSV it has open: Windows cannot rename over
/// it, so the import names it, says to close it, and exits 3 with nothing
/// renamed; once it is closed, the import goes through. (On Unix a rename
/// replaces the name under any reader, so there is nothing to refuse.)
#[cfg(windows)]
#[test]
fn f10_a_file_open_in_excel_stops_the_commit_before_any_rename() {
    use std::os::windows::fs::OpenOptionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let good = root().join(GOOD);
    let first = import(&[&good], &out, &["--csv"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&out);
    let held = out.join("csv").join("sheets.csv");
    assert!(held.exists());
    // Excel's sharing: others may read it, nobody may delete it.
    const FILE_SHARE_READ: u32 = 0x1;
    let excel = std::fs::OpenOptions::new()
        .read(true)
        .share_mode(FILE_SHARE_READ)
        .open(&held)
        .unwrap();
    let again = import(&[&good], &out, &["--csv", "--title", "伊賀市の施策評価"]);
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
    let said = stderr(&again);
    assert!(
        said.contains("sheets.csv") && said.contains("close it"),
        "{said}"
    );
    assert_eq!(snapshot(&out), before, "nothing may be renamed");
    assert!(hidden_temporaries(&out).is_empty());
    drop(excel);
    let after = import(&[&good], &out, &["--csv", "--title", "伊賀市の施策評価"]);
    assert!(after.status.success(), "{}", stderr(&after));
    assert_ne!(snapshot(&out), before);
}
