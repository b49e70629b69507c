/// Sample quantiles with linear interpolation between order statistics (numpy's default, "type
/// 7"): the q-quantile of n values is `x₍ₖ₎ + f·(x₍ₖ₊₁₎ − x₍ₖ₎)` with `k + f = q·(n − 1)`.
///
/// Uses selection, not a sort: the needed order statistics are found in ascending order, each
/// by quickselect on the part of the array above the previous one — O(n) per quantile on
/// average instead of O(n log n).
/// - Precondition: `values` is non-empty, every q in [0, 1], no NaN.
public func quantiles(_ values: [Double], _ qs: [Double]) -> [Double] {
    precondition(!values.isEmpty && qs.allSatisfy { $0 >= 0 && $0 <= 1 }, "quantiles need values and q in [0, 1]")
    var a = values
    let last = a.count - 1
    let positions = qs.map { $0 * Double(last) }
    var wanted = Set<Int>()
    for p in positions {
        let low = Int(p.rounded(.down))
        wanted.insert(low)
        wanted.insert(min(low + 1, last))
    }
    var lower = 0
    a.withUnsafeMutableBufferPointer { buffer in
        for k in wanted.sorted() {
            select(buffer, k, from: lower, to: last)
            lower = k
        }
    }
    return positions.map { p in
        let low = Int(p.rounded(.down))
        let high = min(low + 1, last)
        return a[low] + (p - Double(low)) * (a[high] - a[low])
    }
}

/// Rearranges `a[from...to]` so that `a[k]` holds the value it would have if that range were
/// sorted, with smaller-or-equal values before it and greater-or-equal after (Hoare partition,
/// median-of-three pivot).
private func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, from: Int, to: Int) {
    var (left, right) = (from, to)
    while right > left {
        let mid = left + (right - left) / 2
        if a[mid] < a[left] { a.swapAt(mid, left) }
        if a[right] < a[left] { a.swapAt(right, left) }
        if a[right] < a[mid] { a.swapAt(right, mid) }
        let pivot = a[mid]
        var (i, j) = (left, right)
        while i <= j {
            while a[i] < pivot { i += 1 }
            while a[j] > pivot { j -= 1 }
            if i <= j {
                a.swapAt(i, j)
                i += 1
                j -= 1
            }
        }
        if k <= j { right = j } else if k >= i { left = i } else { return }
    }
}
