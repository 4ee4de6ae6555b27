public enum SesameVersion { public static let string = "0.1.0" }
