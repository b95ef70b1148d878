import ChatworkAPI
import Foundation

/// A small, fast, seeded generator (xorshift64*), so every run makes the same data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2685821657736338717
    }
}

/// Realistic Japanese and English chat: sentence shapes, lengths and markup in proportions that
/// resemble business chat (mentions, replies, quotes, info boxes, code, files, emoticons).
struct SyntheticChat {
    var rng: SeededGenerator
    let accounts: [Account]
    var nextMessageID: UInt64 = 1_700_000_000_000_000_000
    var nextFileID = 1

    static let jaSubjects = ["会議", "稟議", "資料", "見積もり", "契約書", "打ち合わせ", "議事録", "請求書", "進捗", "リリース", "デザイン案", "予算", "出張", "採用面接", "研修", "顧客対応", "サーバー", "障害対応", "テスト", "レビュー"]
    static let jaPredicates = ["を確認しました", "についてご相談があります", "は明日の午後に変更になりました", "の件、承知しました", "を共有します", "をお送りしました", "は来週までにお願いします", "が完了しました", "に修正が必要です", "を再提出してください", "の日程を調整させてください", "はこちらで対応します"]
    static let jaOpeners = ["お疲れ様です。", "おはようございます。", "ありがとうございます！", "すみません、", "了解です。", "", "", "念のため、", "先ほどの件ですが、"]
    static let enSubjects = ["the meeting", "the budget", "the proposal", "the release", "the contract", "the invoice", "the design", "the schedule", "the report", "the deployment", "the customer call", "the review"]
    static let enPredicates = ["is moved to tomorrow", "looks good to me", "needs one more review", "was sent to the client", "is ready for testing", "has been approved", "is blocked on legal", "will be late by a day"]
    static let emoticons = [":)", "(bow)", "(clap)", ":D", "(roger)", "(y)", ";)", "(sweat)"]

    init(seed: UInt64, accountCount: Int = 200) {
        rng = SeededGenerator(seed: seed)
        var list: [Account] = []
        let family = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "Smith", "Chen", "Garcia", "Kim"]
        let given = ["太郎", "花子", "健", "美咲", "翔", "John", "Emily", "Carlos", "Yuki", "Aiko"]
        for i in 0..<accountCount {
            list.append(Account(accountID: 100_000 + i, name: "\(family[i % family.count]) \(given[(i / family.count) % given.count])",
                                avatarImageURL: "https://appdata.chatwork.com/avatar/\(i).png"))
        }
        accounts = list
    }

    mutating func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
    mutating func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }

    mutating func sentence() -> String {
        if chance(0.65) {
            return pick(Self.jaOpeners) + pick(Self.jaSubjects) + pick(Self.jaPredicates) + (chance(0.5) ? "。" : "")
        }
        let s = pick(Self.enSubjects) + " " + pick(Self.enPredicates)
        return s.prefix(1).uppercased() + s.dropFirst() + "."
    }

    /// One message body.
    mutating func body(roomID: Int, previous: [String]) -> String {
        var parts: [String] = []
        if chance(0.10) { parts.append("[To:\(pick(accounts).accountID)]\(pick(accounts).name)さん") }
        if chance(0.05), let p = previous.last { parts.append("[rp aid=\(pick(accounts).accountID) to=\(roomID)-\(p)]") }
        if chance(0.01) { parts.append("[toall]") }
        let n = chance(0.2) ? Int(rng.next() % 6) + 2 : 1
        for _ in 0..<n { parts.append(sentence()) }
        if chance(0.03) { parts.append("[qt][qtmeta aid=\(pick(accounts).accountID) time=\(1_600_000_000 + Int(rng.next() % 100_000_000))]\(sentence())[/qt]") }
        if chance(0.02) { parts.append("[info][title]\(pick(Self.jaSubjects))[/title]\(sentence())\n\(sentence())[/info]") }
        if chance(0.01) { parts.append("[code]let total = items.map { $0.price }.reduce(0, +)\nprint(total)[/code]") }
        if chance(0.02) {
            nextFileID += 1
            parts.append("[info][title][dtext:file_uploaded][/title][download:\(nextFileID)]資料_\(nextFileID).pdf (\(Int(rng.next() % 900) + 10) KB)[/download][/info]")
        }
        if chance(0.06) { parts.append(pick(Self.emoticons)) }
        return parts.joined(separator: "\n")
    }

    mutating func messages(roomID: Int, count: Int, startTime: Int) -> [Message] {
        var out: [Message] = []
        out.reserveCapacity(count)
        var ids: [String] = []
        var t = startTime
        for _ in 0..<count {
            t += Int(rng.next() % 600) + 1
            nextMessageID += rng.next() % 1000 + 1
            let id = String(nextMessageID)
            let b = body(roomID: roomID, previous: ids.suffix(3).map { $0 })
            out.append(Message(messageID: id, account: pick(accounts), body: b, sendTime: t, updateTime: chance(0.03) ? t + 60 : 0))
            ids.append(id)
        }
        return out
    }
}
