// Registered by the owning capability; see README.md.
export {};
