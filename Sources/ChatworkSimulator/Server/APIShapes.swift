/// The API's JSON shapes, field for field (keys are converted to snake_case when encoded).
enum APIShape {
    struct AccountRef: Encodable {
        var accountId: Int
        var name: String
        var avatarImageUrl: String

        init(_ a: SimAccount) {
            accountId = a.accountId
            name = a.name
            avatarImageUrl = a.avatarImageUrl
        }
    }

    struct Me: Encodable {
        var accountId: Int
        var roomId: Int
        var name: String
        var chatworkId: String
        var organizationId: Int
        var organizationName: String
        var department: String
        var title: String
        var url: String
        var introduction: String
        var mail: String
        var telOrganization: String
        var telExtension: String
        var telMobile: String
        var skype: String
        var facebook: String
        var twitter: String
        var avatarImageUrl: String
        var loginMail: String

        init(_ a: SimAccount, myRoomId: Int) {
            accountId = a.accountId
            roomId = myRoomId
            name = a.name
            chatworkId = a.chatworkId
            organizationId = a.organizationId
            organizationName = a.organizationName
            department = a.department
            title = a.title
            url = a.url
            introduction = a.introduction
            mail = a.mail
            telOrganization = a.telOrganization
            telExtension = a.telExtension
            telMobile = a.telMobile
            skype = a.skype
            facebook = a.facebook
            twitter = a.twitter
            avatarImageUrl = a.avatarImageUrl
            loginMail = a.loginMail
        }
    }

    struct Status: Encodable {
        var unreadRoomNum = 0
        var mentionRoomNum = 0
        var mytaskRoomNum = 0
        var unreadNum = 0
        var mentionNum = 0
        var mytaskNum = 0
    }

    struct Contact: Encodable {
        var accountId: Int
        var roomId: Int
        var name: String
        var chatworkId: String
        var organizationId: Int
        var organizationName: String
        var department: String
        var avatarImageUrl: String

        init(_ a: SimAccount, roomId: Int) {
            accountId = a.accountId
            self.roomId = roomId
            name = a.name
            chatworkId = a.chatworkId
            organizationId = a.organizationId
            organizationName = a.organizationName
            department = a.department
            avatarImageUrl = a.avatarImageUrl
        }
    }

    struct IncomingRequest: Encodable {
        var requestId: Int
        var accountId: Int
        var message: String
        var name: String
        var chatworkId: String
        var organizationId: Int
        var organizationName: String
        var department: String
        var avatarImageUrl: String

        init(_ r: SimIncomingRequest, _ a: SimAccount) {
            requestId = r.requestId
            accountId = a.accountId
            message = r.message
            name = a.name
            chatworkId = a.chatworkId
            organizationId = a.organizationId
            organizationName = a.organizationName
            department = a.department
            avatarImageUrl = a.avatarImageUrl
        }
    }

    struct Room: Encodable {
        var roomId: Int
        var name: String
        var type: String
        var role: String
        var sticky: Bool
        var unreadNum: Int
        var mentionNum: Int
        var mytaskNum: Int
        var messageNum: Int
        var fileNum: Int
        var taskNum: Int
        var iconPath: String
        var lastUpdateTime: Int
        /// Only in `GET /rooms/{id}`.
        var description: String?

        init(_ r: SimRoom, viewer: Int, withDescription: Bool) {
            roomId = r.roomId
            name = r.name
            type = r.type.rawValue
            role = (r.role(of: viewer) ?? .readonly).rawValue
            sticky = r.sticky
            unreadNum = r.unreadNum
            mentionNum = r.mentionNum
            mytaskNum = r.tasks.count { $0.accountId == viewer && $0.status == .open }
            messageNum = r.messages.count { !$0.deleted }
            fileNum = r.files.count
            taskNum = r.tasks.count
            iconPath = r.iconPath
            lastUpdateTime = r.lastUpdateTime
            description = withDescription ? r.description : nil
        }
    }

    struct Member: Encodable {
        var accountId: Int
        var role: String
        var name: String
        var chatworkId: String
        var organizationId: Int
        var organizationName: String
        var department: String
        var avatarImageUrl: String

        init(_ a: SimAccount, role: SimRole) {
            accountId = a.accountId
            self.role = role.rawValue
            name = a.name
            chatworkId = a.chatworkId
            organizationId = a.organizationId
            organizationName = a.organizationName
            department = a.department
            avatarImageUrl = a.avatarImageUrl
        }
    }

    struct Message: Encodable {
        var messageId: String
        var account: AccountRef
        var body: String
        var sendTime: Int
        var updateTime: Int

        init(_ m: SimMessage, _ a: SimAccount, deletedBody: Bool = false) {
            messageId = m.messageId
            account = AccountRef(a)
            body = deletedBody ? "[deleted]" : m.body
            sendTime = m.sendTime
            updateTime = m.updateTime
        }
    }

    struct Task: Encodable {
        var taskId: Int
        var account: AccountRef
        var assignedByAccount: AccountRef
        var messageId: String
        var body: String
        var limitTime: Int
        var status: String
        var limitType: String

        init(_ t: SimTask, in ws: SimWorkspace) {
            taskId = t.taskId
            account = AccountRef(ws.account(t.accountId))
            assignedByAccount = AccountRef(ws.account(t.assignedByAccountId))
            messageId = t.messageId
            body = t.body
            limitTime = t.limitTime
            status = t.status.rawValue
            limitType = t.limitType.rawValue
        }
    }

    struct TaskRoom: Encodable {
        var roomId: Int
        var name: String
        var iconPath: String
    }

    struct MyTask: Encodable {
        var taskId: Int
        var room: TaskRoom
        var assignedByAccount: AccountRef
        var messageId: String
        var body: String
        var limitTime: Int
        var status: String
        var limitType: String

        init(_ t: SimTask, room r: SimRoom, in ws: SimWorkspace) {
            taskId = t.taskId
            room = TaskRoom(roomId: r.roomId, name: r.name, iconPath: r.iconPath)
            assignedByAccount = AccountRef(ws.account(t.assignedByAccountId))
            messageId = t.messageId
            body = t.body
            limitTime = t.limitTime
            status = t.status.rawValue
            limitType = t.limitType.rawValue
        }
    }

    struct File: Encodable {
        var fileId: Int
        var account: AccountRef
        var messageId: String
        var filename: String
        var filesize: Int
        var uploadTime: Int
        /// Only with `create_download_url=1`.
        var downloadUrl: String?

        init(_ f: SimFile, _ a: SimAccount, downloadURL: String? = nil) {
            fileId = f.fileId
            account = AccountRef(a)
            messageId = f.messageId
            filename = f.filename
            filesize = f.filesize
            uploadTime = f.uploadTime
            downloadUrl = downloadURL
        }
    }
}
