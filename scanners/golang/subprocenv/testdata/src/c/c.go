// Package c is checked with -include-tests.
package c
