import Foundation

/// Items passed from one thread to another, in order, at most `capacity`
/// waiting: the producer blocks when the consumer falls behind, so what is
/// in flight stays bounded whatever the corpus.
final class Handoff<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [Element] = []
    private var head = 0
    private var closed = false
    private let slots: DispatchSemaphore
    private let items = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        slots = DispatchSemaphore(value: capacity)
    }

    func put(_ element: Element) {
        slots.wait()
        lock.withLock { buffer.append(element) }
        items.signal()
    }

    /// No more items; `next()` returns nil once the waiting ones are taken.
    func close() {
        lock.withLock { closed = true }
        items.signal()
    }

    func next() -> Element? {
        items.wait()
        return lock.withLock {
            guard head < buffer.count else {
                precondition(closed)
                items.signal()  // for a further call after the end
                return nil
            }
            let element = buffer[head]
            head += 1
            if head >= 64, head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            slots.signal()
            return element
        }
    }
}
