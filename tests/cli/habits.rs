//! Issue 12: grep's habits. `--color auto|always|never` (NO_COLOR and a
//! dumb TERM only inform `auto`), nothing matched means empty stdout and a
//! message on stderr, every error starts `gongwen: ` (clap's too), no short
//! flag means something else in ripgrep, shell completions and man pages,
//! and `search` options anywhere among the query words.

use std::process::Command;

use crate::harness::{ENV_VARS, N000, N001, Run, Sandbox, SearchOut, has_ansi};

/// Run `gongwen ARGS` with extra environment variables.
fn run_env(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = sb.command();
    cmd.args(args).envs(env.iter().copied());
    Run::of(cmd)
}

#[test]
fn issue12_color_always_colours_a_pipe_never_and_json_do_not() {
    let sb = Sandbox::indexed();
    let idx = sb.index();
    let idx = idx.to_str().expect("UTF-8 temp path");
    let search = |pre: &[&str], post: &[&str], env: &[(&str, &str)]| {
        let mut args = pre.to_vec();
        args.extend(["search", "--index", idx, "差旅费"]);
        args.extend(post);
        let out = run_env(&sb, &args, env);
        out.assert_code(0);
        out
    };

    // before the command, after the query, or as `--color=always`
    for (pre, post) in [
        (&["--color", "always"][..], &[][..]),
        (&[], &["--color", "always"]),
        (&["--color=always"], &[]),
    ] {
        let out = search(pre, post, &[]);
        assert!(has_ansi(&out.stdout), "{pre:?} {post:?}: {}", out.stdout);
        assert!(out.stdout.contains("\u{1b}[1;31m差旅费"), "{}", out.stdout);
    }
    // An explicit `always` wins over NO_COLOR and a dumb terminal.
    let out = search(
        &["--color", "always"],
        &[],
        &[("NO_COLOR", "1"), ("TERM", "dumb")],
    );
    assert!(has_ansi(&out.stdout), "{}", out.stdout);

    // never; auto into a pipe, whatever NO_COLOR and TERM say
    for (pre, env) in [
        (&["--color", "never"][..], &[][..]),
        (&["--color", "auto"], &[]),
        (&[], &[("NO_COLOR", ""), ("TERM", "xterm-256color")]),
        (&[], &[("NO_COLOR", "1")]),
    ] {
        let out = search(pre, &[], env);
        assert!(!has_ansi(&out.stdout), "{pre:?} {env:?}: {}", out.stdout);
        assert!(out.stdout.contains("【差旅费】"), "{}", out.stdout);
    }

    // JSON is never coloured.
    let out = search(&["--color", "always"], &["--json"], &[]);
    assert!(!has_ansi(&out.stdout), "{}", out.stdout);
    let res: SearchOut = out.json();
    assert_eq!(res.ids(), [N000]);

    // The other commands that print take it too.
    let parse = sb.run(&["parse", "--color", "always", &format!("corpus/{N001}")]);
    parse.assert_code(0);
    assert!(has_ansi(&parse.stdout), "{}", parse.stdout);
    let stats = sb.run(&["--color", "never", "stats", "--index", idx]);
    stats.assert_code(0);
    assert!(!has_ansi(&stats.stdout), "{}", stats.stdout);

    let bad = sb.run(&["--color", "sometimes", "stats"]);
    bad.assert_code(2);
    assert!(bad.stderr.starts_with("gongwen: "), "{}", bad.stderr);
}

/// `--color auto` on a real terminal: `script` gives the command a pty.
/// Skipped (with a note) where util-linux `script` is missing.
#[test]
fn issue12_color_auto_on_a_terminal_unless_no_color_or_dumb_term() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to run gongwen on a terminal");
        return;
    }
    let sb = Sandbox::indexed();
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let on_terminal = |extra: &[&str], env: &[(&str, &str)]| {
        let mut line = vec![
            quote(env!("CARGO_BIN_EXE_gongwen")),
            "search".into(),
            "--index".into(),
            quote(&sb.index().to_string_lossy()),
            "差旅费".into(),
        ];
        line.extend(extra.iter().map(|a| quote(a)));
        let mut cmd = Command::new("script");
        cmd.current_dir(sb.root())
            .args(["-q", "-e", "-c", &line.join(" "), "/dev/null"])
            .env("SHELL", "/bin/sh")
            .stdin(std::process::Stdio::null());
        for var in ENV_VARS {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let out = Run::of(cmd);
        out.assert_code(0);
        assert!(out.stdout.contains("差旅费"), "{}", out.stdout);
        has_ansi(&out.stdout)
    };
    let xterm = ("TERM", "xterm-256color");
    assert!(on_terminal(&[], &[xterm]), "auto on a terminal");
    assert!(
        on_terminal(&[], &[xterm, ("NO_COLOR", "")]),
        "empty NO_COLOR"
    );
    assert!(!on_terminal(&[], &[xterm, ("NO_COLOR", "1")]), "NO_COLOR=1");
    assert!(!on_terminal(&[], &[("TERM", "dumb")]), "TERM=dumb");
    assert!(!on_terminal(&["--color", "never"], &[xterm]), "never");
}

#[test]
fn issue12_nothing_matched_leaves_stdout_empty_and_says_so_on_stderr() {
    let sb = Sandbox::indexed();
    let out = sb.search(&["不存在的词语组合XYZ"]);
    out.assert_code(1);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "gongwen: no notice matches \"不存在的词语组合XYZ\"\n"
    );

    let out = sb.search(&["--agency", "不存在的机关"]);
    out.assert_code(1);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "gongwen: no notice passes the filters\n");

    // The query is quoted terminal-safe.
    let out = sb.search(&["不存在\u{1b}]0;x\u{7}的词"]);
    out.assert_code(1);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);

    // JSON still prints its object, and stderr stays quiet.
    let out = sb.search(&["不存在的词语组合XYZ", "--json"]);
    out.assert_code(1);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let res: SearchOut = out.json();
    assert_eq!((res.total, res.hits.len()), (0, 0));
}

#[test]
fn issue12_argument_errors_start_with_gongwen_and_exit_2() {
    let sb = Sandbox::new();
    for args in [
        &["search", "--jsn", "巡察"][..],
        &["bogus"],
        &["show"],
        &["search", "巡察", "--limit", "ten"],
        &["index", "--quiet", "extra"],
    ] {
        let out = sb.run(args);
        out.assert_code(2);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.starts_with("gongwen: "),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("error:"), "{args:?}: {}", out.stderr);
        // clap's pointer to the help is kept (and its usage line, when
        // clap gives one)
        assert!(
            out.stderr.contains("try '--help'"),
            "{args:?}: {}",
            out.stderr
        );
    }
    let out = sb.run(&["search", "--jsn"]);
    assert!(
        out.stderr
            .starts_with("gongwen: unexpected argument '--jsn' found\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("\nUsage: gongwen search"),
        "{}",
        out.stderr
    );

    // clap quotes the argument: it reaches the terminal escaped.
    let out = sb.run(&["search", "--x\u{1b}]0;pwned\u{7}\u{202e}"]);
    out.assert_code(2);
    assert!(out.stderr.starts_with("gongwen: "), "{}", out.stderr);
    assert!(
        !out.stderr.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "{:?}",
        out.stderr
    );
    // (clap's rendering drops whole escape sequences; what is left of a
    // hostile argument is shown as visible escapes)
    assert!(out.stderr.contains(r"\u{202e}"), "{}", out.stderr);
    let out = sb.run(&["search", "--x\ry\u{7}"]);
    assert!(
        out.stderr
            .starts_with(r"gongwen: unexpected argument '--x\ry"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(['\r', '\u{7}']), "{:?}", out.stderr);

    // No command at all: the error, then the help listing the commands.
    let out = sb.run::<&str>(&[]);
    out.assert_code(2);
    assert!(
        out.stderr.starts_with("gongwen: a command is required\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("search"), "{}", out.stderr);
}

#[test]
fn issue12_help_and_version_go_to_stdout_with_exit_0() {
    let sb = Sandbox::new();
    for args in [
        &["--help"][..],
        &["-h"],
        &["search", "--help"],
        &["--color", "never", "help", "index"],
    ] {
        let out = sb.run(args);
        out.assert_code(0);
        assert!(out.stderr.is_empty(), "{args:?}: {}", out.stderr);
        assert!(
            out.stdout.contains("Usage: gongwen"),
            "{args:?}: {}",
            out.stdout
        );
        assert!(!has_ansi(&out.stdout), "{args:?}: a pipe: {}", out.stdout);
    }
    let out = sb.run(&["--color", "always", "search", "--help"]);
    out.assert_code(0);
    assert!(has_ansi(&out.stdout), "{}", out.stdout);

    let out = sb.run(&["--version"]);
    out.assert_code(0);
    assert_eq!(
        out.stdout,
        format!("gongwen {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Every short flag means what the same letter means in ripgrep.
#[test]
fn issue12_short_flags_mean_what_they_mean_in_ripgrep() {
    // ripgrep's meaning of the letters gongwen uses
    const RIPGREP: &[(char, &str)] = &[
        ('h', "help"),
        ('V', "version"),
        ('q', "quiet"),
        ('l', "files-with-matches"),
    ];
    let sb = Sandbox::new();
    let commands = [
        "",
        "index",
        "search",
        "parse",
        "add",
        "stats",
        "show",
        "analyze",
        "check",
        "completions",
        "man",
    ];
    let mut seen = Vec::new();
    for command in commands {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        args.push("--help");
        let out = sb.run(&args);
        out.assert_code(0);
        // `  -q, --quiet  …`
        for line in out.stdout.lines() {
            let Some(rest) = line.trim_start().strip_prefix('-') else {
                continue;
            };
            let mut chars = rest.chars();
            let (Some(letter), Some(',')) = (chars.next(), chars.next()) else {
                continue;
            };
            let long = rest[2..].trim_start().trim_start_matches("--");
            let long = long.split([' ', '=', '<']).next().unwrap_or("");
            match RIPGREP.iter().find(|(l, _)| *l == letter) {
                Some((_, meaning)) => assert_eq!(long, *meaning, "{command}: {line}"),
                None => panic!("{command}: -{letter} is not in the table: {line}"),
            }
            seen.push(letter);
        }
    }
    assert!(
        seen.contains(&'q'),
        "the parse found no short flag: {seen:?}"
    );

    // `-n` was `--limit`; in ripgrep it is `--line-number`.
    let sb = Sandbox::indexed();
    let out = sb.search(&["巡察", "-n", "1"]);
    out.assert_code(2);
    assert!(
        out.stderr.starts_with("gongwen: unexpected argument '-n'"),
        "{}",
        out.stderr
    );
}

#[test]
fn issue12_sort_date_is_accepted_in_every_position() {
    let sb = Sandbox::indexed();
    let idx = sb.index();
    let idx = idx.to_str().expect("UTF-8 temp path");
    for args in [
        &["search", "--index", idx, "--json", "--sort", "date", "巡察"][..],
        &["search", "--index", idx, "--json", "巡察", "--sort", "date"],
        &["search", "--index", idx, "--json", "--sort=date", "巡察"],
        &["search", "--index", idx, "巡察", "--sort=date", "--json"],
        &["search", "巡察", "--sort", "date", "--index", idx, "--json"],
        &[
            "--color", "never", "search", "巡察", "--sort", "date", "--index", idx, "--json",
        ],
        &[
            "search",
            "--agency",
            "投资促进中心",
            "巡察",
            "--sort",
            "date",
            "--index",
            idx,
            "--json",
        ],
    ] {
        let out = sb.run(args);
        out.assert_code(0);
        let res: SearchOut = out.json();
        assert_eq!(res.query, "巡察", "{args:?}");
        assert_eq!(res.ids(), [N001, N000], "{args:?}");
    }
    // and the value stays the option's, never a query word
    let res: SearchOut = sb
        .run(&[
            "search", "--index", idx, "巡察", "--sort", "date", "--limit", "1", "--json",
        ])
        .json();
    assert_eq!((res.query.as_str(), res.ids()), ("巡察", vec![N001]));
}

#[test]
fn issue12_completions_for_every_shell() {
    let sb = Sandbox::new();
    for (shell, says) in [
        ("bash", "_gongwen()"),
        ("zsh", "#compdef gongwen"),
        ("fish", "complete -c gongwen"),
        ("elvish", "gongwen"),
        ("powershell", "gongwen"),
    ] {
        let out = sb.run(&["completions", shell]);
        out.assert_code(0);
        assert!(out.stdout.contains(says), "{shell}: {:.300}", out.stdout);
        assert!(out.stdout.contains("sort"), "{shell}: subcommand options");
        assert!(out.stderr.is_empty(), "{shell}: {}", out.stderr);
    }
    let out = sb.run(&["completions", "tcsh"]);
    out.assert_code(2);
    assert!(out.stderr.starts_with("gongwen: "), "{}", out.stderr);
}

#[test]
fn issue12_man_pages_are_roff() {
    let sb = Sandbox::new();
    let out = sb.run(&["man"]);
    out.assert_code(0);
    assert!(out.stdout.starts_with('.'), "{:.200}", out.stdout);
    assert!(
        out.stdout.contains("\n.TH gongwen 1"),
        "{:.300}",
        out.stdout
    );
    assert!(out.stdout.contains("completions"), "lists the commands");

    let out = sb.run(&["man", "search"]);
    out.assert_code(0);
    assert!(
        out.stdout.contains("\n.TH gongwen-search 1"),
        "{:.300}",
        out.stdout
    );
    assert!(out.stdout.contains("limit"), "documents the options");

    let out = sb.run(&["man", "nosuch"]);
    out.assert_code(2);
    assert!(
        out.stderr.starts_with("gongwen: no command \"nosuch\""),
        "{}",
        out.stderr
    );
}
