import Foundation

/// The bad values the sweep gives each kind of flag, and the arguments each subcommand needs
/// besides the flag under test (chosen so that a run with only valid values stops quickly:
/// no token for `archive`, an empty archive for the readers).
enum SweepCorpus {
    /// A folder that never exists: a run that creates it has written where it must not.
    static let missingParent = "/nonexistent-cwarchive-sweep"

    enum Kind {
        case readDir, writeDir, readFile, writeFile, tokenFile
        case int, id, seconds, date, size, timezone, url, choice, spec, duration
        case host, urlPath, webhook, text, oauthURL, deliveryURL
    }

    /// What a flag takes; nil for a flag the sweep does not know yet (the test fails: add it).
    static func kind(command: [String], flag: String) -> Kind? {
        switch flag {
        case "archive": return command == ["archive"] || command == ["listen"] ? .writeDir : .readDir
        case "out": return .writeDir
        case "config", "tls-cert", "tls-key", "oauth-credentials": return .readFile
        case "token-file", "auth-token-file", "account-webhook", "client-secret-file": return .tokenFile
        case "report": return .writeFile
        case "credentials": return command == ["auth", "login"] ? .writeFile : .readFile
        case "host": return .host
        case "path": return .urlPath
        case "webhook": return .webhook
        case "client-id", "scope": return .text
        case "redirect-uri", "oauth-authorize-url", "oauth-token-url": return .oauthURL
        case "templates", "workspace": return .readDir
        case "room", "exclude-room", "account": return .id
        case "limit", "page-size", "download-concurrency", "commit-every-rooms", "commit-every-records", "port", "rate-limit",
             "max-requests", "refresh-days": return .int
        case "rate-window", "download-url-lifetime", "commit-interval": return .seconds
        case "since", "until": return .date
        case "max-file-size": return .size
        case "timezone": return .timezone
        case "api-base": return .url
        case "format", "sort", "from", "webhook-delivery": return .choice
        case "webhook-url": return .deliveryURL
        case "faults": return .spec
        case "max-duration": return .duration
        default: return nil
        }
    }

    struct Base { var options: [String: String]; var positional: [String] = [] }

    /// The valid arguments a subcommand is run with, the flag under test replacing its own.
    static func baseArguments(_ path: [String], archive: URL, tokenFile: URL) -> Base? {
        switch path {
        case ["archive"]: return Base(options: ["archive": "new-archive"])
        case ["status"], ["verify"], ["reindex"]: return Base(options: ["archive": archive.path])
        case ["search"]: return Base(options: ["archive": archive.path], positional: ["word"])
        case ["export"]: return Base(options: ["archive": archive.path, "format": "csv", "out": "export-out"])
        case ["demo"]: return Base(options: ["out": "demo-out"])
        case ["simulate"]: return Base(options: ["port": "0"])
        case ["import"]:
            return Base(options: ["archive": archive.path, "from": "goodbye-chatwork"],
                        positional: [archive.deletingLastPathComponent().appendingPathComponent("empty-import").path])
        case ["listen"]: return Base(options: ["archive": "listen-archive", "webhook": "1=\(tokenFile.path)", "port": "0"])
        case ["serve"]: return Base(options: ["archive": archive.path, "port": "0"])
        case ["auth", "login"]:
            return Base(options: ["client-id": "cwarchive-sweep", "redirect-uri": "https://example.com/cb", "credentials": "creds.json",
                                  "oauth-authorize-url": "http://127.0.0.1:9/auth", "oauth-token-url": "http://127.0.0.1:9/token"])
        case ["auth", "status"]: return Base(options: ["credentials": tokenFile.path])
        default: return nil
        }
    }

    /// Subcommands that serve until stopped: a valid value may leave them running.
    static let servers: Set<String> = ["simulate", "serve", "listen"]

    /// (value, strict): a strict value is never acceptable.
    static func values(_ kind: Kind, command: [String], fixtures: URL) -> [(String, Bool)] {
        let long = String(repeating: "x", count: 300)
        let veryLong = String(repeating: "abcdefgh/", count: 600)
        var common: [(String, Bool)] = [("", true), ("   ", true), ("a\u{1}b", true), ("\u{1B}[31mred", true)]
        switch kind {
        case .readDir:
            common += [("\(missingParent)/a", true), ("/etc/passwd", true), (long, true), (veryLong, true),
                       ("bad\u{FFFD}name", true), ("../../../../../../../../nonexistent-cwarchive-sweep", true)]
        case .writeDir:
            common += [("/etc/passwd", true), ("/etc/passwd/sub", true), (long, true), (veryLong, true), ("bad\u{FFFD}name", true)]
            if command != ["demo"] { common.append(("missing-parent/a", false)) }
        case .readFile:
            common += [("\(missingParent)/f", true), ("/", true), (long, true), (veryLong, true), ("bad\u{FFFD}name", true)]
        case .writeFile:
            // `auth login --credentials` makes the folder of its file: a missing parent is fine there.
            common += [("/", true), ("\(missingParent)/r.json", command != ["auth", "login"]), ("/etc/passwd/x", true), (long, true), ("bad\u{FFFD}", true)]
        case .tokenFile:
            common += [("\(missingParent)/f", true), ("/", true), (long, true), (fixtures.appendingPathComponent("empty-token").path, true),
                       (fixtures.appendingPathComponent("blank-token").path, true), (fixtures.appendingPathComponent("shared-token").path, true)]
        case .int:
            common += [("-1", true), ("0", false), ("-0", false), ("1e300", true), ("inf", true), ("nan", true), ("0x10", true),
                       (" 5", true), ("5x", true), ("99999999999999999999999", true), ("1.5", true)]
        case .id:
            common += [("-1", true), ("0", true), ("-0", true), ("1e300", true), ("inf", true), ("nan", true), ("0x10", true),
                       ("5x", true), ("99999999999999999999999", true)]
        case .seconds:
            common += [("-1", true), ("0", true), ("1e300", true), ("inf", true), ("nan", true), ("-inf", true), ("5x", true)]
        case .date:
            common += [("garbage", true), ("2024-13-01", true), ("2024-02-30", true), ("2024-01-05T25:00", true),
                       ("1e300", true), ("99999-01-01", true), ("2024-01-05T09:00", false), ("2024-01-05", false)]
        case .size:
            common += [("1e300K", true), ("infG", true), ("nanM", true), ("-5M", true), ("5Q", true), ("0x10M", true),
                       ("5 M M", true), ("1e3", true), ("500M", false)]
        case .timezone:
            common += [("Mars/Olympus", true), ("../../etc/passwd", true), ("UTC+99", true), ("Asia/Tokyo", false)]
        case .url:
            common += [("not a url", true), ("ftp://", true), ("http://", true), ("http://h/?q=1", true), ("http://h/#f", true)]
        case .choice:
            common += [("bogus", true), ("JSON", false)]
        case .spec:
            common = [("", false), ("a\u{1}b", true), ("bogus=1", true), ("error=2", true), ("error=nan", true), ("latency=x", true)]
        case .host:
            common += [("host name", true), ("x\n", true), (long, true), ("0.0.0.0", true), ("::1", false)]
        case .urlPath:
            common += [("/a\u{7F}b", true), ("/chatwork/hook", false)]
        case .webhook:
            common += [("x", true), ("1=", true), ("=file", true), ("0=\(fixtures.appendingPathComponent("token").path)", true),
                       ("-1=\(fixtures.appendingPathComponent("token").path)", true), ("abc=\(fixtures.appendingPathComponent("token").path)", true),
                       ("1=\(missingParent)/f", true), ("1=\(fixtures.appendingPathComponent("empty-token").path)", true)]
        case .text:
            common += [(long + long + long + long, false)]
        case .oauthURL:
            common += [("not a url", true), ("http://", true), ("https://example.com/cb", false)]
        case .deliveryURL:
            common += [("not a url", true), ("ftp://h/x", true), ("http://", true), ("http://h/#f", true), ("http://u:p@h/x", true),
                       ("http://127.0.0.1:9/chatwork/webhook", false)]
        case .duration:
            common += [("inf", true), ("-5m", true), ("5x", true), ("1e300h", true), ("nan", true), ("50m", false)]
        }
        return common
    }

    /// Every invocation for one subcommand: each option with each bad value, each flag given a
    /// value, an unknown option and an option without its value.
    static func cases(for command: SweepCommand, base: Base, fixtures: URL) -> [SweepCase] {
        let server = servers.contains(command.path[0])
        func arguments(_ flag: String, _ value: String?) -> [String] {
            var args = command.path + base.positional
            for (key, baseValue) in base.options.sorted(by: { $0.key < $1.key }) where key != flag { args.append("--\(key)=\(baseValue)") }
            if let value { args.append("--\(flag)=\(value)") } else { args.append("--\(flag)") }
            return args
        }
        var out: [SweepCase] = []
        for option in command.options {
            guard let kind = kind(command: command.path, flag: option) else { continue }
            for (value, strict) in values(kind, command: command.path, fixtures: fixtures) {
                out.append(SweepCase(arguments: arguments(option, value), flag: option, strict: strict, mayKeepRunning: server && !strict))
            }
            if [.readDir, .writeDir, .readFile, .writeFile, .tokenFile].contains(kind) {
                var raw = SweepCase(arguments: arguments(option, "RAW"), flag: option, strict: true, mayKeepRunning: false)
                raw.rawValue = "bad\\377name"
                out.append(raw)
            }
            // The option last with no value.
            var missing = command.path + base.positional
            for (key, baseValue) in base.options.sorted(by: { $0.key < $1.key }) where key != option { missing.append("--\(key)=\(baseValue)") }
            missing.append("--\(option)")
            out.append(SweepCase(arguments: missing, flag: option, strict: true, mayKeepRunning: false))
        }
        for flag in command.flags {
            out.append(SweepCase(arguments: arguments(flag, "yes"), flag: flag, strict: true, mayKeepRunning: false))
        }
        out.append(SweepCase(arguments: arguments("bogus-sweep-option", "1"), flag: "bogus-sweep-option", strict: true, mayKeepRunning: false))
        return out
    }
}
