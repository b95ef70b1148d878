import Foundation

/// Finds the folder of export templates. In order:
/// 1. `--templates DIR`,
/// 2. `$CWARCHIVE_TEMPLATES`,
/// 3. `<executable dir>/../share/cwarchive/templates` (an installed program),
/// 4. `<executable dir>/templates` (a program unpacked with its templates beside it),
/// 5. the source checkout's `templates/`, found from this source file's path (`swift run`, tests).
///
/// A folder counts when it has the subfolder for the format (`html/`, `markdown/`).
public enum TemplateLocator {
    public static func candidates(explicit: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                  executable: URL? = Bundle.main.executableURL) -> [URL] {
        var list: [URL] = []
        if let explicit { return [explicit] }
        if let env = environment["CWARCHIVE_TEMPLATES"], !env.isEmpty { list.append(URL(fileURLWithPath: env)) }
        if let exe = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            list.append(exe.deletingLastPathComponent().appendingPathComponent("share/cwarchive/templates"))
            list.append(exe.appendingPathComponent("templates"))
        }
        list.append(sourceCheckoutTemplates)
        return list
    }

    /// `templates/` at the top of the source checkout this file was compiled from.
    static var sourceCheckoutTemplates: URL {
        URL(fileURLWithPath: #filePath) // …/Sources/CWArchiveCore/Export/TemplateLocator.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("templates")
    }

    /// The first candidate that has templates for `format`.
    public static func locate(format: String, explicit: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: URL? = Bundle.main.executableURL) throws -> URL {
        let list = candidates(explicit: explicit, environment: environment, executable: executable)
        for dir in list {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(format).path, isDirectory: &isDir), isDir.boolValue {
                return dir
            }
        }
        if let explicit {
            throw ExportError("the template folder \(explicit.path) has no \(format)/ subfolder: copy the installed templates folder and edit the copy")
        }
        throw ExportError("no export templates found (looked in \(list.map(\.path).joined(separator: ", "))): reinstall cwarchive or pass --templates DIR")
    }
}
