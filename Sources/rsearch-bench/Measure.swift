import Foundation
import RSearchDocuments
#if canImport(Glibc)
import Glibc
#endif

/// A child process's wall time and peak resident memory.
///
/// wait4's `ru_maxrss` is not the child's own peak when the benchmark is
/// large: posix_spawn starts the child in the parent's address space (vfork),
/// and exec keeps that space's high-water mark. After the 1 GB queries it
/// reported 2,733 MB for a build that `/usr/bin/time` measured at 239 MB. So
/// `peak` runs the child under `/usr/bin/time`, whose own fork starts it
/// from a small process.
struct ProcessMeasurement {
    var seconds: Double
    var peakRSSBytes: Int
    var status: Int32
}

enum Measure {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static let time = "/usr/bin/time"

    /// `run`, with the peak memory measured by `/usr/bin/time` (package
    /// `time`); without it, wait4's figure, which may be the benchmark's own.
    static func runMeasuringPeak(_ path: String, _ arguments: [String]) -> ProcessMeasurement {
        guard FileManager.default.isExecutableFile(atPath: time) else {
            print("/usr/bin/time not found (apt-get install time): peak memory from wait4, possibly the benchmark's own")
            return run(path, arguments)
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rsearch-bench-peak-\(getpid())")
        defer { try? FileManager.default.removeItem(at: output) }
        var measured = run(time, ["-f", "%M", "-o", output.path, path] + arguments)
        let kilobytes = (try? String(contentsOf: output, encoding: .utf8))?
            .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        measured.peakRSSBytes = (kilobytes ?? 0) * 1024
        return measured
    }

    /// Runs `path` with `arguments`, stdout and stderr to /dev/null.
    static func run(_ path: String, _ arguments: [String]) -> ProcessMeasurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = now()
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard rc == 0 else { return ProcessMeasurement(seconds: 0, peakRSSBytes: 0, status: -1) }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = now() - start
        return ProcessMeasurement(seconds: seconds, peakRSSBytes: Int(usage.ru_maxrss) * 1024,
                                  status: (status >> 8) & 0xFF)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = p / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 50) }

    /// Milliseconds of `runs` calls of `body`, after two untimed warm-ups.
    static func samples(_ runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var times: [Double] = []
        for i in 0..<(runs + 2) {
            let start = now()
            try body()
            if i >= 2 { times.append((now() - start) * 1000) }
        }
        return times
    }
}

extension String {
    var fnv: UInt64 {
        var hash = FNV1a()
        hash.mix(bytes: utf8)
        return hash.value
    }
}
