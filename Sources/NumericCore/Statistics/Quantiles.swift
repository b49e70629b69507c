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
/// selection on order-preserving 64-bit keys, 11 bits a round: each round counts the keys per
/// digit in one pass, finds the digits that hold the wanted ranks and keeps only their keys;
/// fewer than 64 keys left, or keys equal in all but their last 9 bits, are sorted (so the worst
/// case is a sort). The counting passes have no data-dependent branches; a quickselect's
/// comparisons against its pivot are unpredictable branches, which on the simulator's 6,000 pass
/// rates cost more than the arithmetic.
/// - Precondition: no NaN; every rank in `values.indices`.
public func orderStatistics(_ values: [Double], ranks: [Int]) -> [Int: Double] {
    precondition(ranks.allSatisfy { values.indices.contains($0) }, "order statistics: rank out of range")
    var result: [Int: Double] = [:]
    let keys = values.map(orderedKey)
    radixSelect(keys, shift: 64 - radixBits, ranks: ranks.map { ($0, $0) }, into: &result)
    return result
}

private let radixBits = 11

/// The key whose unsigned order is the value's order (negative values reversed below positive).
private func orderedKey(_ x: Double) -> UInt64 {
    let bits = x.bitPattern
    return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
}

private func value(ofKey key: UInt64) -> Double {
    Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key)
}

/// Selects `ranks` (each a rank within `keys`, with the caller's rank to report it under) among
/// `keys`, whose bits above `shift + radixBits` are all equal.
private func radixSelect(
    _ keys: [UInt64], shift: Int, ranks: [(within: Int, reported: Int)], into result: inout [Int: Double]
) {
    if keys.count < 64 || shift < 0 {
        let sorted = keys.sorted()
        for rank in ranks { result[rank.reported] = value(ofKey: sorted[rank.within]) }
        return
    }
    let mask = UInt64((1 << radixBits) - 1)
    var counts = [Int](repeating: 0, count: 1 << radixBits)
    counts.withUnsafeMutableBufferPointer { counts in
        for key in keys { counts[Int(truncatingIfNeeded: (key >> UInt64(shift)) & mask)] &+= 1 }
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
    let nextShift = shift - radixBits
    if wanted.count == 1 && counts[wanted[0].digit] == keys.count {
        radixSelect(keys, shift: nextShift, ranks: wanted[0].ranks, into: &result)
        return
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
            let slot = slots[Int(truncatingIfNeeded: (key >> UInt64(shift)) & mask)]
            if slot >= 0 { kept[slot].append(key) }
        }
    }
    for (slot, entry) in wanted.enumerated() {
        radixSelect(kept[slot], shift: nextShift, ranks: entry.ranks, into: &result)
    }
}
