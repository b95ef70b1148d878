@testable import ChatworkAPI
import Foundation
import Testing

/// The example answers of the reference (`api-ja.raml`), field for field.
enum ReferenceExamples {
    static let room = #"""
    {"room_id": 123, "name": "Group Chat Name", "type": "group", "role": "admin", "sticky": false,
     "unread_num": 10, "mention_num": 1, "mytask_num": 0, "message_num": 122, "file_num": 10, "task_num": 17,
     "icon_path": "https://example.com/ico_group.png", "last_update_time": 1298905200,
     "description": "room description text"}
    """#
    static let rooms = #"""
    [{"room_id": 123, "name": "Group Chat Name", "type": "group", "role": "admin", "sticky": false,
      "unread_num": 10, "mention_num": 1, "mytask_num": 0, "message_num": 122, "file_num": 10, "task_num": 17,
      "icon_path": "https://example.com/ico_group.png", "last_update_time": 1298905200}]
    """#
    static let task = #"""
    {"task_id": 3,
     "account": {"account_id": 123, "name": "Bob", "avatar_image_url": "https://example.com/abc.png"},
     "assigned_by_account": {"account_id": 456, "name": "Anna", "avatar_image_url": "https://example.com/def.png"},
     "message_id": "13", "body": "buy milk", "limit_time": 1384354799, "status": "open", "limit_type": "date"}
    """#
    static let myTasks = #"""
    [{"task_id": 3,
      "room": {"room_id": 5, "name": "Group Chat Name", "icon_path": "https://example.com/ico_group.png"},
      "assigned_by_account": {"account_id": 456, "name": "Anna", "avatar_image_url": "https://example.com/def.png"},
      "message_id": "13", "body": "buy milk", "limit_time": 1384354799, "status": "open", "limit_type": "date"}]
    """#
    static let me = #"""
    {"account_id": 123, "room_id": 322, "name": "John Smith", "chatwork_id": "tarochatworkid",
     "organization_id": 101, "organization_name": "Hello Company", "department": "Marketing", "title": "CMO",
     "url": "http://mycompany.example.com", "introduction": "Self Introduction", "mail": "taro@example.com",
     "tel_organization": "XXX-XXXX-XXXX", "tel_extension": "YYY-YYYY-YYYY", "tel_mobile": "ZZZ-ZZZZ-ZZZZ",
     "skype": "myskype_id", "facebook": "myfacebook_id", "twitter": "mytwitter_id",
     "avatar_image_url": "https://example.com/abc.png", "login_mail": "account@example.com"}
    """#
    static let myStatus = #"""
    {"unread_room_num": 2, "mention_room_num": 1, "mytask_room_num": 3, "unread_num": 12, "mention_num": 1, "mytask_num": 8}
    """#
    static let contacts = #"""
    [{"account_id": 123, "room_id": 322, "name": "John Smith", "chatwork_id": "tarochatworkid",
      "organization_id": 101, "organization_name": "Hello Company", "department": "Marketing",
      "avatar_image_url": "https://example.com/abc.png"}]
    """#
    static let members = #"""
    [{"account_id": 123, "role": "member", "name": "John Smith", "chatwork_id": "tarochatworkid",
      "organization_id": 101, "organization_name": "Hello Company", "department": "Marketing",
      "avatar_image_url": "https://example.com/abc.png"}]
    """#
    static let file = #"""
    {"file_id":3, "account": {"account_id":123, "name":"Bob", "avatar_image_url": "https://example.com/ico_avatar.png"},
     "message_id": "22", "filename": "README.md", "filesize": 2232, "upload_time": 1384414750}
    """#
    static let fileWithURL = #"""
    {"file_id":3, "account": {"account_id":123, "name":"Bob", "avatar_image_url": "https://example.com/ico_avatar.png"},
     "message_id": "22", "filename": "README.md", "filesize": 2232, "upload_time": 1384414750,
     "download_url": "https://files.example.com/3?sig=abc"}
    """#
    static let message = #"""
    {"message_id": "5", "account": {"account_id": 123, "name": "Bob", "avatar_image_url": "https://example.com/ico_avatar.png"},
     "body": "Hello Chatwork!", "send_time": 1384242850, "update_time": 0}
    """#
    static let link = #"""
    {"public": true, "url": "https://example.chatwork.com/g/randomcode42", "need_acceptance": true,
     "description": "Link description text"}
    """#
    static let privateLink = #"{"public": false}"#
    static let incomingRequests = #"""
    [{"request_id": 123, "account_id": 363, "message": "hogehoge", "name": "John Smith",
      "chatwork_id": "tarochatworkid", "organization_id": 101, "organization_name": "Hello Company",
      "department": "Marketing", "avatar_image_url": "https://example.com/abc.png"}]
    """#
}

@Suite("Models")
struct ModelRoundTripTests {
    /// Decodes, encodes, decodes again; the values must be equal and the encoded JSON must hold
    /// exactly the fields (and values) of the original.
    func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ json: String) throws -> T {
        let original = Data(json.utf8)
        let decoded = try JSONDecoder().decode(T.self, from: original)
        let encoded = try JSONEncoder().encode(decoded)
        let again = try JSONDecoder().decode(T.self, from: encoded)
        #expect(again == decoded)
        let originalObject = try JSONSerialization.jsonObject(with: original) as? NSObject
        let encodedObject = try JSONSerialization.jsonObject(with: encoded) as? NSObject
        #expect(originalObject != nil)
        #expect(originalObject == encodedObject, "re-encoded \(T.self) differs: \(String(decoding: encoded, as: UTF8.self))")
        return decoded
    }

    @Test func room() throws {
        let room = try roundTrip(Room.self, ReferenceExamples.room)
        #expect(room.roomID == 123)
        #expect(room.type == .group)
        #expect(room.role == .admin)
        #expect(room.messageNum == 122)
        #expect(room.lastUpdateTime == 1_298_905_200)
        #expect(room.description == "room description text")
        let rooms = try roundTrip([Room].self, ReferenceExamples.rooms)
        #expect(rooms.first?.description == nil)
    }

    @Test func tasks() throws {
        let task = try roundTrip(RoomTask.self, ReferenceExamples.task)
        #expect(task.assignedByAccount.name == "Anna")
        #expect(task.status == .open)
        #expect(task.limitType == .date)
        #expect(task.messageID == "13")
        let mine = try roundTrip([MyTask].self, ReferenceExamples.myTasks)
        #expect(mine.first?.room.roomID == 5)
        #expect(mine.first?.room.iconPath == "https://example.com/ico_group.png")
    }

    @Test func accountAndContacts() throws {
        let me = try roundTrip(Me.self, ReferenceExamples.me)
        #expect(me.loginMail == "account@example.com")
        #expect(me.telOrganization == "XXX-XXXX-XXXX")
        let status = try roundTrip(MyStatus.self, ReferenceExamples.myStatus)
        #expect(status.mytaskNum == 8)
        let contacts = try roundTrip([Contact].self, ReferenceExamples.contacts)
        #expect(contacts.first?.roomID == 322)
        let members = try roundTrip([Member].self, ReferenceExamples.members)
        #expect(members.first?.role == .member)
        let requests = try roundTrip([IncomingRequest].self, ReferenceExamples.incomingRequests)
        #expect(requests.first?.requestID == 123)
        #expect(requests.first?.message == "hogehoge")
    }

    @Test func filesMessagesLinks() throws {
        let file = try roundTrip(ChatworkFile.self, ReferenceExamples.file)
        #expect(file.downloadURL == nil)
        #expect(file.filesize == 2232)
        let withURL = try roundTrip(ChatworkFile.self, ReferenceExamples.fileWithURL)
        #expect(withURL.downloadURL == "https://files.example.com/3?sig=abc")
        let message = try roundTrip(Message.self, ReferenceExamples.message)
        #expect(message.messageID == "5")
        #expect(message.updateTime == 0)
        let link = try roundTrip(RoomLink.self, ReferenceExamples.link)
        #expect(link.isPublic)
        #expect(link.needAcceptance == true)
        let closed = try roundTrip(RoomLink.self, ReferenceExamples.privateLink)
        #expect(!closed.isPublic)
        #expect(closed.url == nil)
    }

    @Test("profile fields the API leaves out stay out")
    func optionalProfileFields() throws {
        let me = try roundTrip(Me.self, #"{"account_id": 1, "room_id": 2, "name": "A"}"#)
        #expect(me.chatworkID == nil)
        _ = try roundTrip(Contact.self, #"{"account_id": 1, "room_id": 2, "name": "A", "avatar_image_url": "x"}"#)
    }

    @Test("unknown enum values are kept, not rejected")
    func unknownEnumValues() throws {
        let json = ReferenceExamples.room
            .replacingOccurrences(of: #""type": "group""#, with: #""type": "channel""#)
            .replacingOccurrences(of: #""role": "admin""#, with: #""role": "guest""#)
        let room = try roundTrip(Room.self, json)
        #expect(room.type.rawValue == "channel")
        #expect(!room.type.isKnown)
        #expect(room.role == RoomRole(rawValue: "guest"))
        #expect(RoomType.group.isKnown)
        let task = try roundTrip(RoomTask.self, ReferenceExamples.task.replacingOccurrences(of: #""status": "open""#, with: #""status": "archived""#))
        #expect(task.status.rawValue == "archived")
    }

    @Test("a message id written as a number is kept as its string; a missing id is refused")
    func messageIDIsString() throws {
        let json = ReferenceExamples.message.replacingOccurrences(of: #""message_id": "5""#, with: #""message_id": 5"#)
        #expect(try JSONDecoder().decode(Message.self, from: Data(json.utf8)).messageID == "5")
        let none = ReferenceExamples.message.replacingOccurrences(of: #""message_id": "5","#, with: "")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Message.self, from: Data(none.utf8)) }
    }

    @Test("missing, null or oddly typed fields do not lose a record; ids are required")
    func lenientFields() throws {
        let room = try JSONDecoder().decode(Room.self, from: Data(#"{"room_id": "42", "name": null, "type": "group", "message_num": "7", "sticky": 1}"#.utf8))
        #expect(room.roomID == 42 && room.name == "" && room.messageNum == 7 && room.sticky && room.iconPath == "")
        let message = try JSONDecoder().decode(Message.self, from: Data(#"{"message_id": "9", "account": {"account_id": 1}, "body": "x", "send_time": 1.0e9}"#.utf8))
        #expect(message.sendTime == 1_000_000_000 && message.updateTime == 0 && message.account.name == "")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Room.self, from: Data(#"{"name": "no id"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Room.self, from: Data(#"{"room_id": "abc"}"#.utf8)) }
    }

    @Test("Japanese text and large ids survive a round trip")
    func unicodeAndLargeIDs() throws {
        let json = #"""
        {"message_id": "1234567890123456789", "account": {"account_id": 9007199254740993, "name": "山田 太郎", "avatar_image_url": ""},
         "body": "[To:1] こんにちは😀\n[info][title]件名[/title]本文[/info]", "send_time": 1700000000, "update_time": 1700000100}
        """#
        let message = try roundTrip(Message.self, json)
        #expect(message.messageID == "1234567890123456789")
        #expect(message.account.accountID == 9_007_199_254_740_993)
        #expect(message.body.contains("こんにちは😀"))
    }
}

@Suite("JSON shape guard")
struct JSONShapeGuardTests {
    @Test func deepNestingIsRefusedBeforeDecoding() {
        let deep = Data((String(repeating: "[", count: 300) + String(repeating: "]", count: 300)).utf8)
        #expect(JSONShapeGuard.problem(in: deep) != nil)
        let normal = Data(#"[{"message_id":"1","account":{"account_id":1},"body":"[[[[ not nesting ]]]] {{{"}]"#.utf8)
        #expect(JSONShapeGuard.problem(in: normal) == nil)
    }
}
