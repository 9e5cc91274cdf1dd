package protocol

// VerifyGnark exposes the reference verifier to the external test package.
var VerifyGnark = verifyGnark
