// Go has no `#` comments: directive text in a string is no directive.
package docs

const help = `privileged: true # isolint:ignore privileged-container`
