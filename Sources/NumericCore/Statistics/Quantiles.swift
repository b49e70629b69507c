/// Sample quantiles with linear interpolation between order statistics (numpy's default, "type
/// 7"): the q-quantile of n values is `x₍ₖ₎ + f·(x₍ₖ₊₁₎ − x₍ₖ₎)` with `k + f = q·(n − 1)`.
///
/// Uses selection, not a sort: ``orderStatistics(_:ranks:)`` finds the needed order statistics
/// in linear passes (typically O(n)).
/// - Precondition: `values` is non-empty, every q in [0, 1], no NaN.
public func quantiles(_ values: [Double], _ qs: [Double]) -> [Double] {
    precondition(!values.isEmpty && qs.allSatisfy { $0 >= 0 && $0 <= 1 }, "quantiles need values and q in [0, 1]")
    let last = values.count - 1
    let positions = qs.map { $0 * Double(last) }
    var wanted = Set<Int>()
    for p in positions {
        let low = Int(p.rounded(.down))
        wanted.insert(low)
        wanted.insert(min(low + 1, last))
    }
    let statistics = orderStatistics(values, ranks: wanted.sorted())
    return positions.map { p in
        let low = Int(p.rounded(.down))
        let (a, b) = (statistics[low]!, statistics[min(low + 1, last)]!)
        return a + (p - Double(low)) * (b - a)
    }
}

/// The values at `ranks` (0-based) of `values` sorted ascending, by most-significant-digit radix
/// selection on order-preserving 64-bit keys: each round finds the keys' range, counts the keys
/// per digit (up to 11 bits) of their offset from the smallest (the digits cut the actual range,
/// so no round is spent on bits all keys share), finds the digits that hold the wanted ranks and keeps
/// only their keys; fewer than 64 keys left are sorted, and equal keys end a round. The passes
/// have no data-dependent branches but the rare keep; a quickselect's comparisons against its
/// pivot are unpredictable branches, which on the simulator's 6,000 pass rates cost more than
/// the arithmetic.
/// - Precondition: no NaN; every rank in `values.indices`.
public func orderStatistics(_ values: [Double], ranks: [Int]) -> [Int: Double] {
    precondition(ranks.allSatisfy { values.indices.contains($0) }, "order statistics: rank out of range")
    var result: [Int: Double] = [:]
    let keys = values.map(orderedKey)
    radixSelect(keys, ranks: ranks.map { ($0, $0) }, into: &result)
    return result
}

/// Digit width for `count` keys: about four keys per digit, between 4 and 11 bits, so a round
/// over a few hundred keys does not clear and scan 2,048 counters.
private func radixBits(forCount count: Int) -> Int {
    min(11, max(4, Int.bitWidth - count.leadingZeroBitCount - 2))
}

/// The key whose unsigned order is the value's order (negative values reversed below positive).
private func orderedKey(_ x: Double) -> UInt64 {
    let bits = x.bitPattern
    // All ones for a negative value (flip every bit), else only the sign bit; no branch.
    let negative = UInt64(bitPattern: Int64(bitPattern: bits) >> 63)
    return bits ^ (negative | (1 << 63))
}

private func value(ofKey key: UInt64) -> Double {
    Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
}

/// Selects `ranks` (each a rank within `keys`, with the caller's rank to report it under)
/// among `keys`.
private func radixSelect(_ keys: [UInt64], ranks: [(within: Int, reported: Int)], into result: inout [Int: Double]) {
    if keys.count < 64 {
        let sorted = keys.sorted()
        for rank in ranks { result[rank.reported] = value(ofKey: sorted[rank.within]) }
        return
    }
    var (low, high) = (UInt64.max, UInt64.min)
    for key in keys { (low, high) = (min(low, key), max(high, key)) }
    if low == high {
        for rank in ranks { result[rank.reported] = value(ofKey: low) }
        return
    }
    // Digits of `key − low`: the top one holds `high`, so every round splits the keys.
    let radixBits = radixBits(forCount: keys.count)
    let shift = UInt64(max(0, UInt64.bitWidth - (high - low).leadingZeroBitCount - radixBits))
    var counts = [Int](repeating: 0, count: 1 << radixBits)
    counts.withUnsafeMutableBufferPointer { counts in
        for key in keys { counts[Int(truncatingIfNeeded: (key &- low) >> shift)] &+= 1 }
    }
    // The digits holding the wanted ranks, ascending, each with the ranks within its keys.
    var wanted: [(digit: Int, ranks: [(within: Int, reported: Int)])] = []
    var below = 0
    var next = 0
    let ordered = ranks.sorted { $0.within < $1.within }
    for digit in 0..<counts.count where next < ordered.count {
        let above = below + counts[digit]
        while next < ordered.count && ordered[next].within < above {
            if wanted.last?.digit != digit { wanted.append((digit, [])) }
            wanted[wanted.count - 1].ranks.append((ordered[next].within - below, ordered[next].reported))
            next += 1
        }
        below = above
    }
    // One pass keeps the keys of every wanted digit, each in its own list.
    var slotOfDigit = [Int](repeating: -1, count: 1 << radixBits)
    var kept = wanted.map { entry -> [UInt64] in
        var list: [UInt64] = []
        list.reserveCapacity(counts[entry.digit])
        return list
    }
    for (slot, entry) in wanted.enumerated() { slotOfDigit[entry.digit] = slot }
    slotOfDigit.withUnsafeBufferPointer { slots in
        for key in keys {
            let slot = slots[Int(truncatingIfNeeded: (key &- low) >> shift)]
            if slot >= 0 { kept[slot].append(key) }
        }
    }
    for (slot, entry) in wanted.enumerated() {
        radixSelect(kept[slot], ranks: entry.ranks, into: &result)
    }
}
