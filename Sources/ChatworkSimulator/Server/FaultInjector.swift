import Foundation

/// The fault chosen for one request, before and after it is answered.
struct FaultPlan: Sendable, Equatable {
    enum Early: Sendable, Equatable {
        case none
        case drop
        case status(Int)
        case storm429
    }

    enum Late: Sendable, Equatable {
        case none
        case truncate
        case malformedJSON
        case wrongContentType
    }

    var latency: TimeInterval = 0
    var early: Early = .none
    var late: Late = .none
}

/// Draws fault decisions from a seeded generator, in the order requests arrive.
struct FaultInjector: Sendable {
    private(set) var configuration: FaultConfiguration
    private var random: SeededRandom
    private var stormRemaining: Int

    init(_ configuration: FaultConfiguration) {
        self.configuration = configuration
        self.random = SeededRandom(seed: configuration.seed)
        self.stormRemaining = max(0, configuration.storm429Count)
    }

    /// Replaces the configuration (and restarts the generator and the 429 storm).
    mutating func reset(_ configuration: FaultConfiguration) {
        self = FaultInjector(configuration)
    }

    /// Plans the faults of one request. `isDownload` selects the download scope.
    mutating func plan(isDownload: Bool) -> FaultPlan {
        let c = configuration
        var plan = FaultPlan()
        let inScope = c.scope.contains(isDownload ? .download : .api)
        if inScope {
            plan.latency = max(0, c.latency)
            if roll(c.dropRate) {
                plan.early = .drop
                return plan
            }
        }
        if !isDownload, stormRemaining > 0 {
            stormRemaining -= 1
            plan.early = .storm429
            return plan
        }
        if inScope, roll(c.errorRate) {
            plan.early = .status([500, 502, 503][Int(random.next() % 3)])
            return plan
        }
        if inScope, roll(c.truncateRate) {
            plan.late = .truncate
        } else if !isDownload, roll(c.malformedJSONRate) {
            plan.late = .malformedJSON
        } else if !isDownload, roll(c.wrongContentTypeRate) {
            plan.late = .wrongContentType
        }
        return plan
    }

    private mutating func roll(_ rate: Double) -> Bool {
        guard rate > 0 else { return false }
        return random.nextUnit() < rate
    }
}
