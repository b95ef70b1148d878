import Foundation
import Testing
@testable import CWArchiveCore

/// ``TimeFormatter`` caches a zone's offset per hour: it must still agree with Foundation across
/// daylight-saving changes (including Lord Howe's half-hour one) and give the same texts.
@Suite("Export: clock")
struct ExportClockTests {
    @Test(arguments: ["America/New_York", "Australia/Lord_Howe", "Europe/London", "Asia/Kathmandu", "Asia/Tokyo"])
    func offsetsMatchFoundationAcrossAYear(_ zone: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        let clock = TimeFormatter(timeZone: tz)
        var t = 1_577_836_800 // 2020-01-01T00:00:00Z
        var mismatches = 0
        while t < 1_609_459_200 { // 2021-01-01
            if clock.civil(t).offset != tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))) { mismatches += 1 }
            t += 431 // a prime step, so every minute of the hour is visited over the year
        }
        #expect(mismatches == 0)
    }

    @Test func stampAgreesWithTheSingleFormatters() throws {
        let clock = TimeFormatter(timeZone: try #require(TimeZone(identifier: "Australia/Lord_Howe")))
        for t in stride(from: 1_601_735_000, to: 1_601_745_000, by: 97) {
            let s = clock.stamp(t)
            #expect(s.iso == clock.iso(t) && s.day == clock.day(t) && s.time == clock.time(t) && s.dateTime == clock.dateTime(t))
        }
        #expect(clock.iso(1_601_740_000).hasSuffix("+11:00") || clock.iso(1_601_740_000).hasSuffix("+10:30"))
        let utc = TimeFormatter(timeZone: TimeZone(secondsFromGMT: 0)!)
        #expect(utc.iso(-1) == "1969-12-31T23:59:59Z")
        #expect(utc.iso(253_402_300_800) == "10000-01-01T00:00:00Z")
    }
}
