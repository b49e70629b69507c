// Foundation's URLSession alone, as the executor's client uses it (an ephemeral session, one POST
// per call, 64 in flight), against the scripted loopback server: prints the process's anonymous
// resident memory every 5,000 requests. `run_load.py --urlsession` compiles and runs it; see
// docs/RELIABILITY.md ("The executor under load").
//
// Usage: urlsession-growth PORT REQUESTS
import Foundation
import FoundationNetworking

/// RssAnon of this process in KB (heap and stacks, no mapped files).
func anonymousKilobytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") }
    return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } ?? 0
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let requests = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: urlsession-growth PORT REQUESTS\n".utf8))
    exit(64)
}
let configuration = URLSessionConfiguration.ephemeral
configuration.httpMaximumConnectionsPerHost = 64
configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
let session = URLSession(configuration: configuration)
let url = URL(string: "http://127.0.0.1:\(port)/v1/chat/completions")!
let body = Data(#"{"model":"load","messages":[{"role":"user","content":"Summarise"}],"max_tokens":10}"#.utf8)

await withTaskGroup(of: Void.self) { group in
    var started = 0
    var finished = 0
    func startNext() {
        started += 1
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("summary-\(started)", forHTTPHeaderField: "X-Isoplan-Call-Id")
        request.setValue("summary", forHTTPHeaderField: "X-Isoplan-Purpose")
        group.addTask { _ = try? await session.data(for: request) }
    }
    for _ in 0..<min(64, requests) { startNext() }
    while await group.next() != nil {
        finished += 1
        if finished % 5_000 == 0 { print(finished, anonymousKilobytes(), terminator: "\n") }
        if started < requests { startNext() }
    }
}
