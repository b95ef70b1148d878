import ChatworkSimulator
import Foundation

/// The workspace of the real-path benchmark (issue 12): thousands of rooms of 100 messages and a
/// few "busy" rooms that reach 10,000 over 101 nightly stages, with bodies of 5 to 300 characters,
/// Japanese-heavy, with `[To]`, `[rp]`, `[qt]`, `[info]`, `[code]`, emoticons and emoji.
///
/// Stage 0 holds every small room and the first 100 messages of each busy room; every later stage
/// (one night) adds 99 messages to each busy room and 1–3 to 20 small rooms. Every time is in
/// the past (the last stage is yesterday), so each run leaves every room synced.
struct RealPathCorpus {
    static let token = "realpath-token-0000"
    static let me = 1
    static let firstRoom = 5_000_000
    static let stages = 101
    /// New messages a busy room gets each night: 99, so that the newest-100 window still holds one message already archived (100 would be a gap).
    static let busyPerNight = 99
    static let busyRoomSize = 10_000
    static let smallChangedPerStage = 20

    let target: Int
    let busyRooms: Int
    let smallRooms: Int
    let now: Int
    var rng: SeededGenerator
    var nextID: UInt64 = 1_600_000_000_000_000_000
    let accounts: [SimAccount]

    /// `target` messages in all: 2 busy rooms at 200k, 50 at 1M (about half of it), the rest in rooms of 100.
    init(target: Int, seed: UInt64, now: Int = Int(Date().timeIntervalSince1970)) {
        self.target = target
        busyRooms = target >= 1_000_000 ? 50 : max(1, target / 100_000)
        let smallAdded = (Self.stages - 1) * Self.smallChangedPerStage * 2
        smallRooms = max(10, (target - busyRooms * Self.busyRoomSize - smallAdded) / 100)
        self.now = now
        rng = SeededGenerator(seed: seed &+ 12)
        let family = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "Smith", "Chen", "Garcia", "Kim"]
        let given = ["太郎", "花子", "健", "美咲", "翔", "陽菜", "John", "Emily", "Carlos", "Yuki", "Aiko"]
        accounts = (1...300).map { i in
            SimAccount(accountId: i, name: i == Self.me ? "ベンチ 太郎" : "\(family[i % family.count]) \(given[(i / family.count) % given.count])")
        }
    }

    var busyRoomIDs: [Int] { (0..<busyRooms).map { Self.firstRoom + $0 } }
    var smallRoomIDs: [Int] { (0..<smallRooms).map { Self.firstRoom + busyRooms + $0 } }

    static let day = 86_400
    /// The start of night `stage` (the last is yesterday).
    func stageTime(_ stage: Int) -> Int { now - (Self.stages + 1 - stage) * Self.day }

    /// Stage 0: the whole workspace as the first run sees it.
    mutating func initialWorkspace() -> SimWorkspace {
        var rooms: [SimRoom] = []
        for id in busyRoomIDs {
            var messages: [SimMessage] = []
            append(to: &messages, roomID: id, count: 100, start: stageTime(0), step: 300)
            rooms.append(room(id, name: "全社連絡・プロジェクト \(id - Self.firstRoom)", messages: messages))
        }
        for (n, id) in smallRoomIDs.enumerated() {
            var messages: [SimMessage] = []
            // Small rooms lived before the busy rooms' stages: 400 to 101 days ago.
            let start = now - 400 * Self.day + Int(rng.next() % UInt64(299 * Self.day))
            append(to: &messages, roomID: id, count: 100, start: start, step: 0)
            rooms.append(room(id, name: n % 3 == 0 ? "Team \(n) – weekly" : "案件\(n) 打ち合わせ", messages: messages))
        }
        return SimWorkspace(accounts: accounts, tokens: [Self.token: Self.me], rooms: rooms)
    }

    /// What night `stage` (1…100) adds: 99 messages to every busy room, 1–3 to 20 small rooms.
    mutating func addStage(_ stage: Int, to ws: inout SimWorkspace) {
        let base = firstIndex(ws)
        for id in busyRoomIDs {
            let i = id - Self.firstRoom + base
            append(to: &ws.rooms[i].messages, roomID: id, count: Self.busyPerNight, start: stageTime(stage), step: 300)
            ws.rooms[i].lastUpdateTime = ws.rooms[i].messages.last!.sendTime
        }
        for _ in 0..<Self.smallChangedPerStage {
            let id = smallRoomIDs[Int(rng.next() % UInt64(smallRooms))]
            let i = id - Self.firstRoom + base
            let start = max(stageTime(stage) + Int(rng.next() % 30_000), ws.rooms[i].lastUpdateTime + 1)
            append(to: &ws.rooms[i].messages, roomID: id, count: 1 + Int(rng.next() % 3), start: start, step: 0)
            ws.rooms[i].lastUpdateTime = ws.rooms[i].messages.last!.sendTime
        }
    }

    private func firstIndex(_ ws: SimWorkspace) -> Int { ws.rooms.firstIndex { $0.roomId == Self.firstRoom } ?? 0 }

    private func room(_ id: Int, name: String, messages: [SimMessage]) -> SimRoom {
        var members = [SimMember(accountId: Self.me, role: .member)]
        for k in 0..<6 { members.append(SimMember(accountId: 2 + (id * 7 + k * 31) % (accounts.count - 1), role: k == 0 ? .admin : .member)) }
        return SimRoom(roomId: id, name: name, type: .group, lastUpdateTime: messages.last?.sendTime ?? now - 400 * Self.day,
                       members: members, messages: messages)
    }

    /// `count` messages from `start`, `step` seconds apart (0: random gaps of up to 100 minutes).
    private mutating func append(to messages: inout [SimMessage], roomID: Int, count: Int, start: Int, step: Int) {
        var t = max(start, (messages.last?.sendTime ?? 0) + 1)
        for _ in 0..<count {
            nextID += 1 + rng.next() % 7
            let previous = messages.suffix(5).last?.messageId
            let sender = 2 + Int(rng.next() % UInt64(accounts.count - 1))
            messages.append(SimMessage(messageId: String(nextID), accountId: sender, body: body(roomID: roomID, previous: previous), sendTime: t))
            t += step > 0 ? step : 1 + Int(rng.next() % 6_000)
        }
    }

    // MARK: bodies

    static let jaSubjects = ["会議", "稟議", "資料", "見積もり", "契約書", "打ち合わせ", "議事録", "請求書", "進捗", "リリース", "デザイン案", "予算", "出張", "採用面接", "研修", "顧客対応", "サーバー", "障害対応", "テスト", "レビュー", "経費精算", "新規案件", "キックオフ", "月次報告"]
    static let jaPredicates = ["を確認しました", "についてご相談があります", "は明日の午後に変更になりました", "の件、承知しました", "を共有します", "をお送りしました", "は来週までにお願いします", "が完了しました", "に修正が必要です", "を再提出してください", "の日程を調整させてください", "はこちらで対応します", "について、先方から返事がありました", "の担当を決めましょう"]
    static let jaOpeners = ["お疲れ様です。", "お疲れ様です。", "おはようございます。", "ありがとうございます！", "すみません、", "了解です。", "", "", "", "念のため、", "先ほどの件ですが、", "取り急ぎ、"]
    static let enSubjects = ["the meeting", "the budget", "the proposal", "the release", "the contract", "the invoice", "the design", "the schedule", "the report", "the deployment", "the customer call", "the review"]
    static let enPredicates = ["is moved to tomorrow", "looks good to me", "needs one more review", "was sent to the client", "is ready for testing", "has been approved", "is blocked on legal", "will be late by a day"]
    static let emoticons = [":)", "(bow)", "(clap)", ":D", "(roger)", "(y)", ";)", "(sweat)"]
    static let emoji = ["🍣", "👍🏻", "🎉", "🙏", "🇯🇵", "😊"]

    mutating func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
    mutating func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }

    mutating func sentence() -> String {
        if chance(0.72) { return pick(Self.jaOpeners) + pick(Self.jaSubjects) + pick(Self.jaPredicates) + (chance(0.6) ? "。" : "") }
        let s = pick(Self.enSubjects) + " " + pick(Self.enPredicates)
        return s.prefix(1).uppercased() + s.dropFirst() + "."
    }

    /// A body of 5 to 300 characters of text (short ones most often), with markup around it.
    mutating func body(roomID: Int, previous: String?) -> String {
        let r = rng.next() % 100
        let length = r < 40 ? 5 + Int(rng.next() % 26) : (r < 85 ? 30 + Int(rng.next() % 91) : 120 + Int(rng.next() % 181))
        var text = ""
        while text.count < length { text += (text.isEmpty ? "" : (chance(0.3) ? "\n" : " ")) + sentence() }
        if text.count > length { text = String(text.prefix(length)) }
        var parts: [String] = []
        if chance(0.12) { let a = pick(accounts); parts.append("[To:\(a.accountId)]\(a.name)さん") }
        if chance(0.06), let p = previous { parts.append("[rp aid=\(2 + Int(rng.next() % 299)) to=\(roomID)-\(p)]\(pick(accounts).name)さん") }
        if chance(0.01) { parts.append("[toall]") }
        parts.append(text)
        if chance(0.03) { parts.append("[qt][qtmeta aid=\(2 + Int(rng.next() % 299)) time=\(now - Int(rng.next() % 30_000_000))]\(sentence())[/qt]") }
        if chance(0.02) { parts.append("[info][title]\(pick(Self.jaSubjects))[/title]\(sentence())\n\(sentence())[/info]") }
        if chance(0.01) { parts.append("[code]let total = items.map { $0.price }.reduce(0, +)\nprint(total)[/code]") }
        if chance(0.05) { parts.append(pick(Self.emoticons)) }
        if chance(0.04) { parts.append(pick(Self.emoji)) }
        return parts.joined(separator: "\n")
    }
}
