import Testing

@Test func placeholderChatworkMarkupTests() { #expect(1 + 1 == 2) }
