import Dispatch
import Synchronization

/// Maps `0..<count` through `body` on `workers` threads, each with its own state from `makeState`
/// (a solver with its buffers). Indices are handed out dynamically (an atomic counter), so uneven
/// items balance across threads; results come back in index order, so scheduling cannot change them.
public func parallelMap<State, T: Sendable>(
    count: Int, workers: Int, makeState: @escaping @Sendable () -> State, _ body: @escaping @Sendable (State, Int) -> T
) -> [T] {
    let box = ResultBox<T>(count: count)
    let threads = max(1, min(workers, count))
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
        let state = makeState()
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < count else { break }
            box.store(body(state, i), at: i)
        }
    }
    return box.values()
}

/// Write-once slots filled from several threads at distinct indices.
private final class ResultBox<T>: @unchecked Sendable {
    // Safe: each index is written by exactly one worker, through a fixed buffer (no array
    // copy-on-write or exclusivity bookkeeping shared between threads), and values are read only
    // after concurrentPerform has returned, which orders every write before the read.
    private let slots: UnsafeMutableBufferPointer<T?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    func store(_ value: T, at index: Int) { slots[index] = value }
    func values() -> [T] { slots.map { $0! } }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
}

/// ``parallelMap(count:workers:makeState:_:)`` for work that needs no per-thread state.
public func parallelMap<T: Sendable>(count: Int, workers: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    parallelMap(count: count, workers: workers, makeState: { () }, { _, index in body(index) })
}
