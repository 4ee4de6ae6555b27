import Foundation
import SesameCore

// Measures what one password hash costs on this machine, for each form Sesame hashes or verifies.
// Run through Benchmarks/run.sh (release build); the numbers go into Benchmarks/README.md.

/// CPU time this thread has used, in milliseconds.
func threadCPUMilliseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
}

/// Prints the wall time per hash, then the CPU time per hash (Benchmarks/footprint.sh reads both).
func measure(_ label: String, iterations: Int, _ body: () throws -> Void) rethrows {
    try body()  // warm up
    let start = ContinuousClock.now
    let cpuStart = threadCPUMilliseconds()
    for _ in 0..<iterations { try body() }
    let cpu = (threadCPUMilliseconds() - cpuStart) / Double(iterations)
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let perHash = String(format: "%8.1f", seconds * 1000 / Double(iterations))
    print("\(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(perHash) ms per hash (\(iterations) runs), \(String(format: "%.1f", cpu)) ms CPU")
}

let password = "correct horse battery staple"
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 20

let hasher = PasswordHasher()
let stored = try hasher.hash(password)
func measureVerify() { measure("scrypt verify (default)", iterations: iterations) { _ = hasher.verify(password, against: stored) } }

// `sesame-hash-bench N verify`: only the verify a sign-in does, N times in a row.
if CommandLine.arguments.dropFirst(2).first == "verify" {
    measureVerify()
    exit(0)
}

// `sesame-hash-bench - paced`: one verify for each line read, each answered with "WALL CPU" in
// milliseconds. Benchmarks/footprint.sh takes turns, one hash here and one sign-in there, so that
// both run on a machine whose caches the other just used, and a change in the machine's speed
// falls on both alike.
if CommandLine.arguments.dropFirst(2).first == "paced" {
    _ = hasher.verify(password, against: stored)  // warm up
    while readLine() != nil {
        let start = ContinuousClock.now
        let cpuStart = threadCPUMilliseconds()
        _ = hasher.verify(password, against: stored)
        let cpu = threadCPUMilliseconds() - cpuStart
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        FileHandle.standardOutput.write(Data(String(format: "%.3f %.3f\n", wall, cpu).utf8))  // unbuffered
    }
    exit(0)
}

for parameters in [(13, 1), (14, 1), (14, 2), (15, 1)].map({ ScryptParameters(logN: $0.0, r: 8, p: $0.1) }) {
    let hasher = PasswordHasher(parameters: parameters)
    let marker = parameters == .default ? "  <- default" : ""
    try measure("scrypt hash N=2^\(parameters.logN) r=8 p=\(parameters.p)\(marker)", iterations: iterations) {
        _ = try hasher.hash(password)
    }
}
measureVerify()
measure("unknown user (dummy scrypt)", iterations: iterations) { hasher.verifyDummy(password) }
// Imported forms, hashed here with the parameters their own libraries use by default.
let bcrypt10 = "$2b$10$J3hEua0thb2X1oyn6i74ienVG4Ie3QeJVs0VPKKvsnHqP6YWwpD5e"  // passlib, cost 10
measure("bcrypt verify, cost 10 (imported)", iterations: iterations) { precondition(hasher.verify("password", against: bcrypt10)) }
let django600k = "pbkdf2_sha256$600000$HT3bhf0vQTAL$p+oC3H0lH8B1Sdv0bdDY/0bGfHWMLQJLLALNoo6ufYA="  // Django's default count
measure("PBKDF2-SHA256 verify, 600k (imported)", iterations: max(3, iterations / 4)) {
    precondition(hasher.verify("password", against: django600k))
}
