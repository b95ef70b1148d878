import Testing

@Test func placeholderChatworkAPITests() { #expect(1 + 1 == 2) }
