public import Domain
import Foundation
public import NumericCore

/// Logical call ids and the deterministic randomness of an execution. Everything random the
/// executor does — group formation, the candidates' order per vote, tie draws, fallbacks,
/// random-K priors — is a pure function of (seed, the decision's coordinates), so arrival order,
/// retries, concurrency and restarts cannot change a selection.
public enum CallIdentity {
    /// `key=value` pairs joined by `|`; values are escaped (`%`, `|`, `=` percent-encoded) so any
    /// task or rollout id is safe.
    public static func make(_ pairs: KeyValuePairs<String, String>) -> String {
        pairs.map { "\($0.key)=\(escape($0.value))" }.joined(separator: "|")
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "%": out += "%25"
            case "|": out += "%7C"
            case "=": out += "%3D"
            default: out.append(c)
            }
        }
        return out
    }

    /// The summary call of a rollout.
    public static func summary(task: String, iteration: Int, rollout: String) -> String {
        make(["task": task, "it": String(iteration), "rollout": rollout, "attempt": "0", "purpose": "summary"])
    }

    /// A judge call: one vote slot of one group, at an attempt (re-asks count up).
    public static func judge(
        task: String, iteration: Int, stage: TournamentStage, round: Int, group: Int, vote: Int, attempt: Int,
        purpose: JudgePurpose
    ) -> String {
        make([
            "task": task, "it": String(iteration), "stage": stage.rawValue, "round": String(round),
            "group": String(group),
            "vote": String(vote), "attempt": String(attempt), "purpose": purpose.rawValue,
        ])
    }

    /// A random generator for one decision: seeded by the execution's seed and the decision's
    /// coordinates (a stable hash, identical on every run and machine).
    public static func generator(seed: UInt64, _ parts: String...) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: seed, stream: StableHash.fnv1a64(parts.joined(separator: "\u{1F}")))
    }
}

extension Array {
    /// A Fisher–Yates shuffle driven by `rng` (``FisherYatesShuffle``'s classic form; the
    /// standard library's `shuffled(using:)` is not guaranteed stable across versions).
    func stableShuffled(using rng: inout Xoshiro256StarStar) -> [Element] {
        var copy = self
        copy.withUnsafeMutableBufferPointer { FisherYatesShuffle(count: $0.count).shuffle($0, using: &rng) }
        return copy
    }
}

extension Array where Element == String {
    /// Sorted with digit runs compared as numbers (`r2` before `r10`), ties by plain order.
    func naturallySorted() -> [String] {
        sorted { a, b in
            let order = a.compare(b, options: .numeric)
            return order == .orderedSame ? a < b : order == .orderedAscending
        }
    }
}
