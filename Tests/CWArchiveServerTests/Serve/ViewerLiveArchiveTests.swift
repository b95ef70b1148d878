import CWArchiveCore
import CWArchiveServer
import Foundation
import Testing
import CWTestSupport

/// The viewer over an archive that changes: a new run, a rebuilt index, templates of one's own.
@Suite("Serve: a live archive", .serialized)
struct ViewerLiveArchiveTests {
    @Test func aNewRunShowsWithoutARestartAndARebuiltIndexIsReopened() async throws {
        let h = try await ServeHarness()
        let v: RunningViewer
        do {
            try await h.archive()
            v = try await RunningViewer.start(archive: h.archiveURL)
        } catch {
            await h.stop()
            throw error
        }
        let room = ServeHarness.groupRoom
        let before = try await v.http.get("/rooms/\(room)")
        #expect(before.status == 200 && !before.text.contains("新しい稟議の連絡"))

        let id = try h.sim.updateWorkspace { ws in
            try ws.addMessage(roomId: room, accountId: 1000001, body: "新しい稟議の連絡です", at: Int(Date().timeIntervalSince1970) - 5)
        }
        try await h.archive()
        let after = try await v.http.get("/rooms/\(room)")
        #expect(after.text.contains("新しい稟議の連絡です"))
        let search = try await v.http.get("/api/search?q=%E9%80%A3%E7%B5%A1")
        #expect(search.text.contains(id))

        // `reindex` swaps in a new index file: the viewer reopens it.
        try ArchiveIndex.rebuild(store: try ArchiveStore.open(at: h.archiveURL, create: false))
        let rebuilt = try await v.http.get("/rooms/\(room)/messages/\(id)")
        #expect(rebuilt.status == 200 && rebuilt.text.contains("新しい稟議の連絡です"))
        #expect(try await v.http.get("/").status == 200)
        await v.stop()
        await h.stop()
    }

    @Test func servesWhileAWriterHoldsTheArchiveLock() async throws {
        let h = try await ServeHarness.shared.value
        let v = try await RunningViewer.start(archive: h.archiveURL)
        try await withTeardown({ await v.stop() }) {
            let lock = try ArchiveStore.open(at: h.archiveURL, create: false).acquireLock()
            defer { lock.release() }
            for target in ["/", "/rooms/\(ServeHarness.groupRoom)", "/api/search?q=%E7%A8%9F%E8%AD%B0", "/rooms/\(ServeHarness.groupRoom)/messages/\(h.editedID)"] {
                #expect(try await v.http.get(target).status == 200, "\(target)")
            }
        }
    }

    @Test func templatesDirOverridesTheViewerPages() async throws {
        let h = try await ServeHarness.shared.value
        let tmp = ServeTempDir("serve-templates")
        let viewerDir = tmp.path("custom/viewer")
        try FileManager.default.createDirectory(at: viewerDir, withIntermediateDirectories: true)
        let installed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates/viewer")
        for name in try FileManager.default.contentsOfDirectory(atPath: installed.path) {
            try FileManager.default.copyItem(at: installed.appendingPathComponent(name), to: viewerDir.appendingPathComponent(name))
        }
        try Data("<!DOCTYPE html><title>{{title}}</title><h1>Our archive</h1>{{#rooms}}<p>{{roomName}}</p>{{/rooms}}".utf8)
            .write(to: viewerDir.appendingPathComponent("rooms.mustache"))
        let v = try await RunningViewer.start(archive: h.archiveURL, templates: tmp.path("custom"))
        try await withTeardown({ await v.stop() }) {
            let r = try await v.http.get("/")
            #expect(r.text.contains("<h1>Our archive</h1>"))
            #expect(r.text.contains("<p>&lt;b&gt;Hostile&lt;/b&gt; &amp; &quot;odd&quot; input ../room</p>"))
            // The messages still come from the export's html/ templates.
            #expect(try await v.http.get("/rooms/\(ServeHarness.groupRoom)").text.contains("class=\"cw-message"))

            try Data("{{#rooms}".utf8).write(to: viewerDir.appendingPathComponent("rooms.mustache"))
            #expect(throws: (any Error).self) {
                _ = try ViewerServer(configuration: try ServeConfiguration(bind: try BindAddress(host: "127.0.0.1", port: 0), archive: h.archiveURL,
                                                                          tokenFile: nil, templates: tmp.path("custom")))
            }
        }
    }

    @Test func assetsAreServedWithTheirTypes() async throws {
        let h = try await ServeHarness.shared.value
        let v = try await RunningViewer.start(archive: h.archiveURL)
        try await withTeardown({ await v.stop() }) {
            let css = try await v.http.get("/assets/style.css")
            #expect(css.status == 200 && css.header("content-type") == "text/css; charset=utf-8")
            #expect(css.text.contains("article.cw-message") && css.text.contains("mark {") && !css.text.contains("<style>"))
            let js = try await v.http.get("/assets/viewer.js")
            #expect(js.status == 200 && js.header("content-type") == "text/javascript; charset=utf-8")
            #expect(js.text.contains("DOMParser") && !js.text.contains("innerHTML"))
            #expect(try await v.http.get("/favicon.ico").status == 204)
        }
    }
}
