import Foundation

/// Items passed from one thread to another, in order, at most `capacity`
/// waiting and at most `budget` of their weight (their bytes of text, say):
/// the producer blocks when the consumer falls behind, so what is in flight
/// stays bounded whatever the corpus, in count and in size. An item heavier
/// than the whole budget still passes, alone.
final class Handoff<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Taken items are set to nil at once (the array is compacted later):
    /// one left in place stays alive, whatever it weighs.
    private var buffer: [(element: Element?, weight: Int)] = []
    private var head = 0
    private var weight = 0
    private var closed = false
    private let capacity: Int
    private let budget: Int

    init(capacity: Int, budget: Int = .max) {
        self.capacity = capacity
        self.budget = budget
    }

    func put(_ element: Element, weight itemWeight: Int = 0) {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count - head >= capacity || (buffer.count > head && weight + itemWeight > budget) {
            condition.wait()
        }
        buffer.append((element, itemWeight))
        weight += itemWeight
        condition.broadcast()
    }

    /// No more items; `next()` returns nil once the waiting ones are taken.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func next() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count && !closed { condition.wait() }
        guard head < buffer.count else { return nil }
        let (element, itemWeight) = buffer[head]
        buffer[head].element = nil
        head += 1
        weight -= itemWeight
        if head >= 64, head * 2 >= buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }
}
