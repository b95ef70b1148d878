import Testing

@Test func placeholderChatworkSimulatorTests() { #expect(1 + 1 == 2) }
