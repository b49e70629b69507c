import Domain
import Foundation
import RunStore

/// Everything one task's tournaments need.
struct TaskContext: Sendable {
    let label: String
    let seed: UInt64
    let taskRow: Int64
    let task: AgentTask
    let store: Store
    let llm: CachedLLM
    let settings: TournamentSettings
}

/// Runs RTV over one task's candidates, resuming from committed group decisions.
struct Tournament: Sendable {
    let context: TaskContext
    let iteration: Int
    let stage: TournamentStage

    /// Shrinks `candidates` by whole rounds until at most `stopAt` remain (1: the winner; K:
    /// select-K). Each round shuffles the survivors with the round's seeded generator and judges
    /// consecutive groups of G (a lone leftover is a bye); groups of a round run concurrently.
    func run(candidates: [String], summaries: [String: String], stopAt: Int) async throws -> [String] {
        let done = try context.store.decisions(taskRow: context.taskRow).filter {
            $0.kind == .group && $0.stage == stage && $0.iteration == iteration
        }
        var committed: [[Int]: TournamentDecision] = [:]
        for decision in done { committed[[decision.round ?? -1, decision.group ?? -1]] = decision }
        var alive = candidates.naturallySorted()
        var round = 0
        while alive.count > max(1, stopAt) {
            var rng = CallIdentity.generator(
                seed: context.seed, context.task.taskID, String(iteration), stage.rawValue, "round", String(round))
            let order = alive.stableShuffled(using: &rng)
            var groups: [[String]] = []
            var start = 0
            for size in TournamentRounds.groupSizes(of: order.count, groupSize: context.settings.groupSize) {
                groups.append(Array(order[start..<(start + size)]))
                start += size
            }
            let currentRound = round
            let winners = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (index, members) in groups.enumerated() {
                    if let decision = committed[[currentRound, index]], decision.candidates == members,
                        let winner = decision.chosen.first
                    {
                        group.addTask { (index, winner) }
                    } else {
                        group.addTask {
                            (
                                index,
                                try await self.judge(members, round: currentRound, group: index, summaries: summaries)
                            )
                        }
                    }
                }
                var found: [Int: String] = [:]
                for try await (index, winner) in group { found[index] = winner }
                return groups.indices.map { found[$0]! }
            }
            alive = winners
            round += 1
        }
        return alive
    }

    /// Judges one group: V votes (concurrently), extra votes on a tie, a seeded draw if still
    /// tied, a seeded fallback draw when no vote parsed; commits the votes and the decision together.
    func judge(_ members: [String], round: Int, group: Int, summaries: [String: String]) async throws -> String {
        let settings = context.settings
        guard members.count > 1 else {
            try context.store.insertDecision(
                taskRow: context.taskRow,
                TournamentDecision(
                    kind: .group, stage: stage, iteration: iteration, round: round, group: group, candidates: members,
                    chosen: members, method: "bye"))
            return members[0]
        }
        let ballots = try await withThrowingTaskGroup(of: (Int, Ballot).self) { tasks in
            for slot in 0..<settings.votes {
                tasks.addTask {
                    (
                        slot,
                        try await self.vote(
                            members, round: round, group: group, slot: slot, purpose: .vote, summaries: summaries)
                    )
                }
            }
            var found: [(Int, Ballot)] = []
            for try await result in tasks { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var records = ballots.flatMap(\.records)
        var tally = Dictionary(uniqueKeysWithValues: members.map { ($0, 0) })
        for ballot in ballots { if let chosen = ballot.chosen { tally[chosen, default: 0] += 1 } }
        func leaders() -> [String] {
            let top = tally.values.max() ?? 0
            return members.filter { tally[$0] == top }
        }
        var method = "plurality"
        var extra = 0
        if tally.values.reduce(0, +) > 0 {
            while leaders().count > 1 && extra < settings.maxTieBreakVotes {
                let ballot = try await vote(
                    members, round: round, group: group, slot: settings.votes + extra, purpose: .tieBreak,
                    summaries: summaries)
                records += ballot.records
                if let chosen = ballot.chosen { tally[chosen, default: 0] += 1 }
                extra += 1
                method = "tie-break votes"
            }
        }
        let winner: String
        let tied = leaders()
        if tally.values.reduce(0, +) == 0 {
            var rng = CallIdentity.generator(
                seed: context.seed, context.task.taskID, String(iteration), stage.rawValue, String(round),
                String(group), "fallback")
            winner = members[Int(rng.next() % UInt64(members.count))]
            method = "fallback draw (no parsable vote)"
        } else if tied.count > 1 {
            var rng = CallIdentity.generator(
                seed: context.seed, context.task.taskID, String(iteration), stage.rawValue, String(round),
                String(group), "tie")
            winner = tied[Int(rng.next() % UInt64(tied.count))]
            method = "seeded draw after ties"
        } else {
            winner = tied[0]
        }
        try context.store.insertGroup(
            taskRow: context.taskRow, votes: records,
            decision: TournamentDecision(
                kind: .group, stage: stage, iteration: iteration, round: round, group: group, candidates: members,
                chosen: [winner],
                method: method, tally: tally))
        return winner
    }

    struct Ballot: Sendable {
        var chosen: String?
        var records: [JudgeVote]
    }

    /// One vote slot: the candidates in the slot's seeded order, asked until an answer parses or
    /// the re-ask bound is reached (then a fallback record, counted as nothing).
    func vote(
        _ members: [String], round: Int, group: Int, slot: Int, purpose: JudgePurpose, summaries: [String: String]
    ) async throws -> Ballot {
        let settings = context.settings
        var rng = CallIdentity.generator(
            seed: context.seed, context.task.taskID, String(iteration), stage.rawValue, String(round), String(group),
            "order", String(slot))
        let shown = members.stableShuffled(using: &rng)
        var messages = JudgePrompt.messages(
            statement: context.task.statement, shown: shown.map { summaries[$0] ?? "(no summary)" })
        var records: [JudgeVote] = []
        for attempt in 0...settings.maxReasks {
            let asked: JudgePurpose = attempt == 0 ? purpose : .reask
            let callID = CallIdentity.judge(
                task: context.task.taskID, iteration: iteration, stage: stage, round: round, group: group,
                vote: slot, attempt: attempt, purpose: asked)
            let answer = try await context.llm.text(
                for: ChatRequest(
                    messages: messages, maxTokens: settings.judgeMaxTokens,
                    temperature: settings.judgeTemperature, callID: callID,
                    purpose: asked.rawValue, answerSchema: .choice(candidates: shown.count)))
            if let k = JudgePrompt.choice(in: answer, candidates: shown.count) {
                records.append(
                    JudgeVote(
                        stage: stage, iteration: iteration, round: round, group: group, voteIndex: slot,
                        attempt: attempt,
                        purpose: asked, shownOrder: shown, choice: k, chosenRolloutID: shown[k - 1], counted: true,
                        callID: callID))
                return Ballot(chosen: shown[k - 1], records: records)
            }
            records.append(
                JudgeVote(
                    stage: stage, iteration: iteration, round: round, group: group, voteIndex: slot, attempt: attempt,
                    purpose: asked, shownOrder: shown, choice: nil, chosenRolloutID: nil, counted: false, callID: callID
                ))
            messages = JudgePrompt.reask(messages, answer: answer, candidates: shown.count)
        }
        records.append(
            JudgeVote(
                stage: stage, iteration: iteration, round: round, group: group, voteIndex: slot,
                attempt: settings.maxReasks + 1, purpose: .fallback, shownOrder: shown, choice: nil,
                chosenRolloutID: nil,
                counted: false, callID: ""))
        return Ballot(chosen: nil, records: records)
    }
}
