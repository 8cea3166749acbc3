"""The site: pages derived from the curriculum model, navigation, and the adapters that hand them to a builder."""
