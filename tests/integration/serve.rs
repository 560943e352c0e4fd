use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, port: &str) -> Result<Server, String> {
    let mut child = jikenbo(root)
        .args(["serve", "--port", port])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = String::new();
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(rest) = line.split(" at http://").nth(1) {
                    let addr = rest.split('/').next().unwrap().to_string();
                    std::thread::spawn(move || for _ in lines.by_ref() {});
                    return Ok(Server { child, addr });
                }
                seen.push_str(&line);
                seen.push('\n');
            }
            _ => break,
        }
    }
    let _ = child.wait();
    Err(seen)
}

/// A minimal HTTP GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_answers_reloads_and_refuses_traversal() {
    let (_tmp, root) = fixture("basic");
    let server = start(&root, "0").expect("server starts");
    let (status, home) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("/__jikenbo/events"),
        "reload hook injected into served pages"
    );
    let (status, label) = get(&server.addr, "/labels/%E8%87%AA%E6%B2%BB%E4%BD%93/");
    assert_eq!(status, 200, "Japanese paths are percent-decoded");
    assert!(label.contains("雲市"));
    let (status, _) = get(&server.addr, "/../../site.toml");
    assert_eq!(status, 403);
    let (status, _) = get(&server.addr, "/notices/%2e%2e/%2e%2e/site.toml");
    assert_eq!(status, 403);
    let (status, _) = get(&server.addr, "/no/such/page/");
    assert_eq!(status, 404);
    // An edit shows up.
    let path = root.join("content/notices/sora-2023-10-06.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "ランサムウェア被害に関するお知らせ",
            "ランサムウェア被害に関するお知らせ（更新）",
        ),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, page) = get(&server.addr, "/notices/sora-2023-10-06/");
        if page.contains("（更新）") {
            break;
        }
        assert!(Instant::now() < deadline, "the edit never showed up");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A broken edit keeps the last good page and shows the error in it.
    std::fs::write(
        root.join("content/notices/broken.md"),
        "+++\ntitle = \n+++\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, page) = get(&server.addr, "/notices/sora-2023-10-06/");
        if page.contains("jikenbo-error") {
            assert_eq!(status, 200);
            assert!(page.contains("content/notices/broken.md:2"), "{page}");
            assert!(page.contains("（更新）"), "last good version still served");
            break;
        }
        assert!(Instant::now() < deadline, "the error never showed up");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The build output never has the hook.
    std::fs::remove_file(root.join("content/notices/broken.md")).unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
    for (path, bytes) in tree(&root.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__jikenbo"),
            "{path} has the reload hook"
        );
    }
}

/// Waits until `path` answers `want` (and, for 200, contains `needle`).
fn wait_for(addr: &str, path: &str, want: u16, needle: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, page) = get(addr, path);
        if status == want && (want != 200 || page.contains(needle)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {path} never answered {want}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_follows_added_renamed_and_removed_files() {
    let (_tmp, root) = fixture("basic");
    let server = start(&root, "0").expect("server starts");
    let notices = root.join("content/notices");
    let note = "+++\ntitle = \"新規のお知らせ\"\norg = \"株式会社テスト新設\"\npublished = 2024-02-01\n+++\n\n本文です。\n";
    // A new file.
    std::fs::write(notices.join("added.md"), note).unwrap();
    wait_for(
        &server.addr,
        "/notices/added/",
        200,
        "新規のお知らせ",
        "added file",
    );
    let org = format!(
        "/orgs/{}/",
        percent_encoding::utf8_percent_encode(
            "株式会社テスト新設",
            percent_encoding::NON_ALPHANUMERIC
        )
    );
    wait_for(
        &server.addr,
        &org,
        200,
        "新規のお知らせ",
        "new organization",
    );
    // Renamed: the old page goes, the new one comes.
    std::fs::rename(notices.join("added.md"), notices.join("renamed.md")).unwrap();
    wait_for(
        &server.addr,
        "/notices/renamed/",
        200,
        "新規のお知らせ",
        "renamed file",
    );
    wait_for(
        &server.addr,
        "/notices/added/",
        404,
        "",
        "renamed file's old page",
    );
    // A new folder with a notice in it.
    std::fs::create_dir(notices.join("2099")).unwrap();
    std::fs::write(
        notices.join("2099/in-folder.md"),
        note.replace("新規", "フォルダ内"),
    )
    .unwrap();
    wait_for(
        &server.addr,
        "/notices/in-folder/",
        200,
        "フォルダ内のお知らせ",
        "file in a new folder",
    );
    // A folder whose name has a dot, removed whole.
    std::fs::create_dir(notices.join("2099.old")).unwrap();
    std::fs::write(
        notices.join("2099.old/dotted.md"),
        note.replace("新規", "旧フォルダ"),
    )
    .unwrap();
    wait_for(
        &server.addr,
        "/notices/dotted/",
        200,
        "旧フォルダのお知らせ",
        "file in a dotted folder",
    );
    std::fs::remove_dir_all(notices.join("2099.old")).unwrap();
    wait_for(
        &server.addr,
        "/notices/dotted/",
        404,
        "",
        "removed dotted folder",
    );
    // Removed: a file, then the folder.
    std::fs::remove_file(notices.join("renamed.md")).unwrap();
    wait_for(&server.addr, "/notices/renamed/", 404, "", "removed file");
    std::fs::remove_dir_all(notices.join("2099")).unwrap();
    wait_for(
        &server.addr,
        "/notices/in-folder/",
        404,
        "",
        "removed folder",
    );
    // The organization's page went with its last notice.
    wait_for(&server.addr, &org, 404, "", "organization without notices");
}

#[test]
fn port_in_use_is_a_clear_error() {
    let (_tmp, root) = fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let err = match start(&root, &port) {
        Ok(_) => panic!("second server on a taken port started"),
        Err(e) => e,
    };
    assert!(err.contains("in use"), "{err}");
}

#[test]
fn init_makes_a_site_that_builds_and_deploys() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my-archive");
    let (code, out, err) = run(jikenbo(tmp.path()).args(["init", "my-archive"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created"), "{out}");
    let (code, _, err) = run(jikenbo(&dir).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(dir
        .join("public/notices/sample-2024-06-11/index.html")
        .is_file());
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .lines()
            .next(),
        Some("public/")
    );
    let yaml: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap(),
    )
    .unwrap();
    let text = serde_yaml::to_string(&yaml).unwrap();
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(text.contains(action), "workflow uses {action}");
    }
    assert!(text.contains("--base-url"), "builds with the Pages URL");
    // A non-empty folder is refused.
    let (code, _, err) = run(jikenbo(tmp.path()).args(["init", "my-archive"]));
    assert_eq!(code, 1);
    assert!(err.contains("not empty"), "{err}");
}
