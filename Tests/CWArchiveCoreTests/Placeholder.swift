import Testing

@Test func placeholderCWArchiveCoreTests() { #expect(1 + 1 == 2) }
