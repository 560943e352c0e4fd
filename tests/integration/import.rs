use super::*;

#[test]
fn extract_prints_merged_json() {
    let (_tmp, root) = fixture("basic");
    let (code, out, err) = run(jikenbo(&root).args([
        "extract",
        "content/notices/umi-2024-11-15.md",
        "content/inbox/2022-03-18-hoshi.txt",
    ]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["file"], "content/notices/umi-2024-11-15.md");
    assert_eq!(v[0]["id"], "umi-2024-11-15");
    assert_eq!(v[0]["published"], "2024-11-15");
    assert_eq!(v[0]["exposure"]["from"], "2023-10-01");
    assert_eq!(v[0]["records"], 1200);
    assert_eq!(v[1]["id"], "2022-03-18-hoshi");
    assert_eq!(v[1]["title"], "個人情報を含むメールの誤送信について");
}

#[test]
fn import_writes_front_matter_and_never_overwrites_edits() {
    let (_tmp, root) = fixture("basic");
    let (code, out, err) =
        run(jikenbo(&root).args(["import", "content/inbox", "--into", "content/notices"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("wrote content/notices/2022-03-18-hoshi.md"),
        "{out}"
    );
    let written =
        std::fs::read_to_string(root.join("content/notices/2022-03-18-hoshi.md")).unwrap();
    assert!(
        written.starts_with("+++\ntitle = \"個人情報を含むメールの誤送信について\"\n"),
        "{written}"
    );
    // A person edits the file; a second import must not touch it.
    let edited = written.replace("誤送信について", "誤送信について（確認済み）");
    std::fs::write(root.join("content/notices/2022-03-18-hoshi.md"), &edited).unwrap();
    let (code, out, _) =
        run(jikenbo(&root).args(["import", "content/inbox", "--into", "content/notices"]));
    assert_eq!(code, 0);
    assert!(out.contains("skipped"), "{out}");
    assert_eq!(
        std::fs::read_to_string(root.join("content/notices/2022-03-18-hoshi.md")).unwrap(),
        edited
    );
    // --force replaces it and keeps the edit as .bak.
    let (code, _, _) = run(jikenbo(&root).args([
        "import",
        "content/inbox",
        "--into",
        "content/notices",
        "--force",
    ]));
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(root.join("content/notices/2022-03-18-hoshi.md.bak")).unwrap(),
        edited
    );
    // The imported file builds (after the raw original is moved away, ids would clash).
    std::fs::remove_file(root.join("content/inbox/2022-03-18-hoshi.txt")).unwrap();
    let (code, _, err) = run(jikenbo(&root).arg("build"));
    assert_eq!(code, 0, "{err}");
}
