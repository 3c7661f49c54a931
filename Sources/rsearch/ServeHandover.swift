import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `rsearch serve …` replaces this process with `rsearch-serve …`, the
/// program beside `rsearch` that holds the HTTP server: the same command to
/// type, the same arguments, and the search path of `rsearch` without the
/// server's libraries (see rsearch-serve's main.swift for why).
enum ServeHandover {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "rsearch serve needs \(path) beside rsearch (build it: swift build --product rsearch-serve, "
                + "or install it with rsearch)"
        }
    }

    static func exec() throws -> Never {
        let own = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        var candidates = [own.deletingLastPathComponent().appendingPathComponent("rsearch-serve").path]
        if let self = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.insert(URL(fileURLWithPath: self).deletingLastPathComponent().appendingPathComponent("rsearch-serve").path, at: 0)
        }
        guard let path = candidates.first(where: { access($0, X_OK) == 0 }) else { throw Missing(path: candidates[0]) }
        let arguments = [path] + CommandLine.arguments.dropFirst(2)
        let argv = arguments.map { strdup($0) } + [nil]
        execv(path, argv)
        throw Missing(path: path)
    }
}
