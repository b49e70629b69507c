import Foundation

/// Loads a golden JSON file written by `experiments/golden/make_golden.py`.
enum GoldenData {
    struct File<Cases: Decodable>: Decodable {
        let meta: [String: String]
        let cases: Cases
    }

    static func load<Cases: Decodable>(_ name: String, as: Cases.Type) throws -> Cases {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Golden") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Golden/\(name).json"])
        }
        return try JSONDecoder().decode(File<Cases>.self, from: Data(contentsOf: url)).cases
    }
}
