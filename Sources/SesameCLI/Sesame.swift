import ArgumentParser

@main
struct Sesame: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sesame",
        abstract: "Single sign-on and access control for the web.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, ClientCommand.self, KeysCommand.self, TwoFactorCommand.self,
            CASServiceCommand.self, RoleCommand.self, GroupCommand.self, AuditCommand.self, ExportCommand.self, ImportCommand.self,
            DirectoryCommand.self,
        ]
    )
}
