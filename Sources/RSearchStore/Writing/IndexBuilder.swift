import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif
import RSearchDocuments

/// Builds and updates an index.
///
/// A rebuild writes a new database beside the published index and renames
/// it over the old file only when complete. An update changes the published
/// file in place, in one SQLite transaction with a rollback journal: copying
/// the index so as to rename the copy cost most of an update (a copy, an
/// fsync and an unlink of the whole file: 2.2 s of 3.3 s on the 156 MB
/// benchmark corpus, for 1% of its files changed), where the transaction
/// writes only the pages that change. Either way, whatever happens meanwhile
/// (an error, a full disk, kill -9), a search sees the old or the new index,
/// never a mix: the rename is atomic, and SQLite rolls an interrupted
/// transaction back from its journal when the file is next opened. A lock
/// file keeps two writers from racing.
public struct IndexBuilder {
    public var corpus: Corpus
    public var destination: URL
    var loader = DocumentLoader()
    /// Called after each file, and after each page recognised.
    public var progress: (@Sendable (BuildProgress) -> Void)?
    /// Recognise the pages of PDFs that are images of text (tesseract),
    /// and read again the files that wait for it.
    public var ocr: Bool {
        get { loader.pdf.ocr }
        set { loader.pdf.ocr = newValue }
    }

    public init(corpus: Corpus, destination: URL) {
        self.corpus = corpus
        self.destination = destination
        loader.pdf.cache = OCRCache(folder: Self.ocrCacheFolder(for: destination))
        loader.office.cache = URL(fileURLWithPath: destination.path + ".converted", isDirectory: true)
    }

    /// The loader, with the files among `files` that LibreOffice converts
    /// converted first (those not converted before), and the reasons of
    /// those it could not convert. `known`: content hashes already computed
    /// (an update's comparison), by path; the others are computed here.
    private func converting(_ files: [CorpusFile], known: [String: String] = [:]) -> DocumentLoader {
        var loader = self.loader
        let convertible = files.filter { OfficeConverter.formats.contains($0.url.pathExtension.lowercased()) }
        guard !convertible.isEmpty else { return loader }
        var hashed: [(file: CorpusFile, hash: String)] = []
        for file in convertible {
            if let hash = known[file.path] ?? (try? loader.hash(file)) { hashed.append((file, hash)) }
        }
        loader.conversionFailures = loader.office.prepare(hashed)
        return loader
    }

    /// Where recognised pages are kept, by content hash (`OCRCache`): beside
    /// the index, so that a rebuild, which replaces the index file, keeps them.
    public static func ocrCacheFolder(for index: URL) -> URL {
        URL(fileURLWithPath: index.path + ".ocr", isDirectory: true)
    }

    /// The loader, reporting recognised pages into `state`.
    private func loader(_ loader: DocumentLoader, reporting state: ProgressState) -> DocumentLoader {
        var loader = loader
        let progress = self.progress
        loader.pdf.recognisedPage = {
            let snapshot = state.withLock { value -> BuildProgress in
                value.pagesRecognised += 1
                return value
            }
            progress?(snapshot)
        }
        return loader
    }

    private typealias ProgressState = Locked<BuildProgress>

    /// Rebuilds the index from scratch.
    public func build() throws -> BuildSummary {
        try run { scan, temporary in try write(scan, to: temporary) }
    }

    /// Brings the index up to date with the corpus, touching only what
    /// changed; builds it when there is none or it cannot be used.
    public func update() throws -> BuildSummary {
        try run { scan, temporary in
            do {
                return try apply(scan, to: IndexDatabase(path: destination), runsPath: temporary.appendingPathExtension("runs"))
            } catch IndexError.missing, IndexError.unreadable, IndexError.incompatible {
                return try write(scan, to: temporary)
            } catch is DatabaseError {
                // Damage that opening did not reveal: an index that cannot be
                // updated is replaced whole, never patched.
                return try write(scan, to: temporary)
            }
        }
    }

    /// What a run wrote: a new file to publish, or the index in place.
    enum Written {
        case file(BuildSummary)
        case inPlace(BuildSummary)
    }

    private func run(_ body: (CorpusScan, URL) throws -> Written?) throws -> BuildSummary {
        let started = Date()
        let scan = try corpus.scan()
        let files = scan.files
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw IndexError.notWritable(path: folder.path, reason: "cannot create the folder")
        }
        let lock = try IndexLock(index: destination)
        defer { lock.release() }
        removeLeftovers()

        let temporary = destination.appendingPathExtension("tmp-\(getpid())")
        var summary: BuildSummary
        do {
            switch try body(scan, temporary) {
            case .file(let written):
                summary = written
                try Self.publish(temporary, as: destination)
            case .inPlace(let written):
                summary = written
            case nil:
                summary = BuildSummary()
                summary.unchanged = files.count
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is IndexError || error is CorpusError { throw error }
            throw IndexError.notWritable(path: destination.path, reason: IndexDatabase.reason(error))
        }
        summary.reports = (try? IndexDatabase(path: destination).reportCount()) ?? summary.reports
        summary.waitingForOCR = (try? IndexDatabase(path: destination).waitingForOCR()) ?? []
        summary.ignored = scan.ignored
        summary.notRead = (try? IndexDatabase(path: destination).skippedFiles()) ?? summary.skipped
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Temporary files of runs that were killed. Only a lock holder calls
    /// this, so no live run owns them.
    private func removeLeftovers() {
        let folder = destination.deletingLastPathComponent()
        let prefix = destination.lastPathComponent + ".tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    static func openForWriting(_ path: URL) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: path.path, configuration: IndexDatabase.configuration(readonly: false))
        try queue.inDatabase { db in
            // The file is thrown away on any failure, so it needs no journal;
            // durability comes from the fsync before the rename.
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        return queue
    }

    /// A full build: every file, loaded on two threads (`LoadPipeline`)
    /// while this one writes the sections, and tokenized for the full-text
    /// index on another (`FTS5BulkLoad`), whose index is written at the end.
    private func write(_ scan: CorpusScan, to path: URL) throws -> Written {
        #if os(Linux)
        // A fixed threshold: glibc otherwise raises it to the size of each
        // large block freed, after which the run buffers and large documents
        // come from the threads' heaps and stay there, fragmented (1 GB
        // build: peak 312 MB with the default, 242 MB with this).
        _ = glibcMallopt(-3, 256 << 10)  // M_MMAP_THRESHOLD
        #endif
        let files = scan.files
        try? FileManager.default.removeItem(at: path)
        var summary = BuildSummary()
        summary.rebuilt = true
        let bulk = try FTS5BulkLoad(runsPath: path.appendingPathExtension("runs"))
        defer { bulk.discard() }
        let queue = try Self.openForWriting(path)
        try Schema.migrator.migrate(queue)
        var firstSectionID: Int64?
        try queue.inDatabase { db in
            try db.inTransaction {
                let writer = try IndexWriter(db, bulk: bulk)
                let totalBytes = files.reduce(0) { $0 + $1.size }
                let state = ProgressState(BuildProgress(files: 0, totalFiles: files.count, bytes: 0, totalBytes: totalBytes))
                let pipeline = LoadPipeline(files: files, loader: loader(converting(files), reporting: state))
                while let loaded = pipeline.next() {
                    summary.sections += try writer.add(loaded)
                    guard loaded.isLast else { continue }
                    summary.bytes += loaded.file.size
                    if case .skipped(let reason) = loaded.content { summary.skipped.append((loaded.file.path, reason)) }
                    else { summary.added += 1 }
                    let snapshot = state.withLock { value -> BuildProgress in
                        value.files += 1
                        value.bytes = summary.bytes
                        return value
                    }
                    progress?(snapshot)
                }
                summary.pagesRecognised = state.withLock { $0.pagesRecognised }
                try writer.finish()
                try writer.setMeta(corpus: corpus, scan: scan)
                firstSectionID = writer.firstSectionID
                return .commit
            }
        }
        try queue.close()
        let writeback = Writeback(path)
        defer { writeback.stop() }

        // A new connection: the one above created the FTS5 table and may
        // have its (empty) structure record cached.
        let indexed = try Self.openForWriting(path)
        try indexed.inDatabase { db in
            try db.inTransaction {
                try IndexWriter.writeFullTextIndex(bulk, into: db, firstSectionID: firstSectionID)
                return .commit
            }
        }
        try indexed.close()
        summary.reports = summary.added
        return .file(summary)
    }

    /// An update: compares the corpus with the index by size and mtime, and
    /// by content hash where those differ. Returns nil when nothing changed
    /// (and nothing is written). The full-text index changes by one segment
    /// (`FTS5BulkLoad`): through FTS5's insert path, the update of 1% of the
    /// 150 MB corpus took 1.4–1.6 s, twice the 5% of a build it should, most
    /// of it FTS5 hashing, flushing and merging the terms of the sections
    /// removed and added; written as a segment, 0.7 s, and 0.5 s once the
    /// files were parsed on both cores (`examine`) and the character
    /// postings appended in place (BENCHMARKS.md).
    private func apply(_ scan: CorpusScan, to existing: IndexDatabase, runsPath: URL) throws -> Written? {
        let files = scan.files
        let indexed = try existing.fileStamps()
        // Files that wait for OCR are read again when it is asked for.
        let waiting = ocr ? Set(try existing.waitingForOCR()) : []
        var summary = BuildSummary()
        var gone = Set(indexed.keys).subtracting(files.map(\.path))
        var goneByHash: [String: String] = [:]
        for path in gone { goneByHash[indexed[path]!.hash] = path }

        enum Change { case add(CorpusFile), replace(CorpusFile), move(from: String, CorpusFile), touch(CorpusFile) }
        var changes: [Change] = []
        let candidates = files.filter { file in
            guard let stamp = indexed[file.path] else { return true }
            return stamp.size != file.size || stamp.mtime != file.mtime || waiting.contains(file.path)
        }
        summary.unchanged += files.count - candidates.count
        let hashes = examine(candidates)
        var known: [String: String] = [:]
        for (file, hash) in zip(candidates, hashes) {
            if let hash {
                known[file.path] = hash
                summary.bytes += file.size
            }
            if let hash, indexed[file.path]?.hash == hash, !waiting.contains(file.path) {
                changes.append(.touch(file))  // touched, same content
                summary.unchanged += 1
            } else if indexed[file.path] != nil {
                changes.append(.replace(file))
            } else if let hash, let old = goneByHash.removeValue(forKey: hash) {
                gone.remove(old)
                changes.append(.move(from: old, file))
            } else {
                changes.append(.add(file))
            }
        }
        guard !changes.isEmpty || !gone.isEmpty else {
            return try recordSettledFolders(scan, in: existing) ? .inPlace(summary) : nil
        }

        // Short runs: each is sorted and written while this thread writes
        // the sections, rather than all at the end (the wait for one run
        // of 1M tokens was 70–90 ms of a 0.6 s update).
        let bulk = try FTS5BulkLoad(runsPath: runsPath, occurrencesPerRun: 1 << 18)
        defer { bulk.discard() }
        let queue = try Self.openInPlace(destination)
        try queue.inDatabase { db in
            try db.inTransaction(.immediate) {
                let writer = try IndexWriter(db, bulk: bulk)
                // Removals before additions (`IndexWriter.remove`).
                var removed = gone.sorted()
                var added: [CorpusFile] = []
                var replaced = Set<String>()
                for change in changes {
                    switch change {
                    case .touch(let file):
                        try writer.move(from: file.path, to: file)
                    case .move(let old, let file):
                        try writer.move(from: old, to: file)
                        summary.renamed += 1
                    case .add(let file):
                        removed.append(file.path)
                        added.append(file)
                    case .replace(let file):
                        removed.append(file.path)
                        added.append(file)
                        replaced.insert(file.path)
                    }
                }
                try writer.remove(paths: removed)
                summary.removed = gone.count
                // Loaded now, on both cores while this thread writes, not
                // when they were compared: all of them at once can be any size.
                let state = ProgressState(BuildProgress(files: 0, totalFiles: added.count, bytes: summary.bytes,
                                                        totalBytes: summary.bytes))
                let pipeline = LoadPipeline(files: added, loader: loader(converting(added, known: known), reporting: state))
                while let loaded = pipeline.next() {
                    summary.sections += try writer.add(loaded)
                    guard loaded.isLast else { continue }
                    if case .skipped(let reason) = loaded.content {
                        summary.skipped.append((loaded.file.path, reason))
                    } else if replaced.contains(loaded.file.path) {
                        summary.updated += 1
                    } else {
                        summary.added += 1
                    }
                    let snapshot = state.withLock { value -> BuildProgress in
                        value.files += 1
                        return value
                    }
                    progress?(snapshot)
                }
                summary.pagesRecognised = state.withLock { $0.pagesRecognised }
                try writer.finish()
                try IndexWriter.writeFullTextIndex(bulk, into: db, firstSectionID: writer.firstSectionID)
                try writer.setMeta(corpus: corpus, scan: scan)
                return .commit
            }
        }
        try queue.close()
        return .inPlace(summary)
    }

    /// With no document changed, writes the folders' times if the index
    /// holds any that the scan now knows better: a folder modified within
    /// the racy window when it was indexed was recorded with an unknown time,
    /// which makes every search read it, until a later update records it once
    /// it has settled. Nothing but the folder table is written; returns
    /// whether it was.
    private func recordSettledFolders(_ scan: CorpusScan, in existing: IndexDatabase) throws -> Bool {
        let recorded = Dictionary(try existing.folders().map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let settled = scan.folders.contains { folder in
            guard folder.mtime != CorpusFolder.unknownTime else { return false }
            return recorded[folder.path].map { $0.mtime != folder.mtime } ?? true
        }
        guard settled else { return false }
        let queue = try Self.openInPlace(destination)
        try queue.inDatabase { db in
            try db.inTransaction(.immediate) {
                try IndexWriter.recordFolders(scan.folders, in: db)
                return .commit
            }
        }
        try queue.close()
        return true
    }

    /// After a search found the corpus to be what the index was built from
    /// (`fingerprint`, the digest `Corpus.check(knowing:)` computed), records
    /// the folders as that check saw them, so that a folder recorded with an
    /// unknown time that has settled since costs the next search one stat,
    /// not one per file. Only the folder table is written, and only if the
    /// index still holds `fingerprint` (no update came in between). A search
    /// does not wait for this: if another process holds the index, or it
    /// cannot be written, nothing is recorded and false is returned.
    public func recordFolders(_ folders: [CorpusFolder], checkedAgainst fingerprint: String) -> Bool {
        do {
            let queue = try Self.openInPlace(destination, waiting: false)
            defer { try? queue.close() }
            return try queue.inDatabase { db in
                var recorded = false
                try db.inTransaction(.immediate) {
                    let current = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'fingerprint'")
                    guard current == fingerprint else { return .rollback }
                    try IndexWriter.recordFolders(folders, in: db)
                    recorded = true
                    return .commit
                }
                return recorded
            }
        } catch {
            return false
        }
    }

    /// The content hashes of the files whose stamps changed (nil where a
    /// file cannot be read), on both cores.
    private func examine(_ files: [CorpusFile]) -> [String?] {
        var results = [String?](repeating: nil, count: files.count)
        let loader = self.loader
        results.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let results = results
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                results[i] = try? loader.hash(files[i])
            }
        }
        return results
    }

    /// The published index, for one transaction: IMMEDIATE, so that readers
    /// go on reading the old pages until the commit; a rollback journal
    /// (not WAL: no -wal or -shm files beside the index), made durable; a
    /// cache large enough that changed pages are not spilled (a spill takes
    /// the exclusive lock early and holds readers off until the commit).
    /// `waiting: false` fails at once if another connection holds a lock.
    static func openInPlace(_ path: URL, waiting: Bool = true) throws -> DatabaseQueue {
        var config = IndexDatabase.configuration(readonly: false)
        config.busyMode = waiting ? .timeout(30) : .immediateError
        let queue = try DatabaseQueue(path: path.path, configuration: config)
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -131072")
        }
        return queue
    }

    /// Makes the finished file durable, then renames it over the old index in
    /// one atomic step.
    static func publish(_ temporary: URL, as destination: URL) throws {
        let fd = open(temporary.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary.path, destination.path) == 0 else {
            throw IndexError.notWritable(path: destination.path, reason: String(cString: strerror(errno)))
        }
        let dir = open(destination.deletingLastPathComponent().path, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}

#if os(Linux)
// glibc functions the Glibc module does not export.
@_silgen_name("sync_file_range")
private func linuxSyncFileRange(_ fd: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// Asks the kernel, every quarter of a second on a thread of its own, to
/// start writing to disk what a build has written of its file so far, so
/// that the fsync before publishing waits only for the last of it (one
/// request after the sections, on the build's own thread, blocked it for
/// 0.25 s, and the fsync still waited 0.4 s for the segment written after
/// it; 150 MB build, strace).
final class Writeback: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(_ path: URL, interval: Double = 0.25) {
        let thread = Thread { [stopped, finished] in
            repeat {
                #if os(Linux)
                let fd = open(path.path, O_RDONLY)
                if fd >= 0 {
                    _ = linuxSyncFileRange(fd, 0, 0, 2)  // SYNC_FILE_RANGE_WRITE
                    close(fd)
                }
                #endif
            } while stopped.wait(timeout: .now() + interval) == .timedOut
            finished.signal()
        }
        thread.start()
    }

    /// Stops the requests and waits for the last one. Called once.
    func stop() {
        stopped.signal()
        finished.wait()
    }
}

/// Loads files on background threads, a bounded amount ahead of the
/// consumer, so that reading and parsing overlap with the writes. Loading
/// (decoding, parsing, compressing each section) is the largest part of a
/// build's CPU now that FTS5's insert path is gone, more than one thread
/// keeps up with, so it is split: worker `w` of `n` loads files `w`,
/// `w + n`, … and the consumer takes them back in file order, each file's
/// parts (`DocumentLoader.load(_:parts:)`) in a row. What waits is bounded
/// by count and by bytes of text (`Handoff`), so that memory does not grow
/// with the size of the files.
final class LoadPipeline: @unchecked Sendable {
    private let loaded: [Handoff<PreparedFile>]
    private var current = 0

    init(files: [CorpusFile], loader: DocumentLoader, workers: Int = 2, ahead: Int = 16, aheadBytes: Int = 16 << 20) {
        loaded = (0..<workers).map { _ in
            Handoff<PreparedFile>(capacity: max(1, ahead / workers), budget: max(1, aheadBytes / workers))
        }
        for (w, handoff) in loaded.enumerated() {
            let thread = Thread {
                for i in stride(from: w, to: files.count, by: workers) {
                    loader.load(files[i]) { part in
                        let prepared = PreparedFile(part)
                        handoff.put(prepared, weight: prepared.weight)
                    }
                }
                handoff.close()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The next file, or part of a file; nil after the last.
    func next() -> PreparedFile? {
        guard let part = loaded[current].next() else { return nil }
        if part.isLast { current = (current + 1) % loaded.count }
        return part
    }
}

/// An exclusive advisory lock beside the index, held while it is written.
/// The kernel drops it when the process dies, however it dies.
struct IndexLock {
    private let fd: Int32

    init(index: URL) throws {
        fd = open(index.path + ".lock", O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw IndexError.notWritable(path: index.path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw IndexError.busy(path: index.path)
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// How a section path is stored: headings joined by a separator that no
/// heading contains (a heading never spans lines).
enum SectionPath {
    static func encode(_ path: [String]) -> String { path.joined(separator: "\n") }
    static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
