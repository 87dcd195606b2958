/** The types a library author programs against: {@link dev.molt.api.Sandbox} and its moves. */
package dev.molt.api;
