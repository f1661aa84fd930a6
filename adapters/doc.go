// Package adapters holds what the chat adapters share in their
// configuration (Delivery), and tests that hold every adapter (console,
// slack, discord, web) to the rules they share. No adapter links the
// store, learn, a database driver or another adapter, and none writes a
// sentence of its own: the words are the core's.
package adapters
