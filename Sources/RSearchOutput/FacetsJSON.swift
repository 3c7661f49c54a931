import RSearchEngine

/// The JSON of a query's facets (README, "rsearch serve", `/api/facets`):
/// `{"total", "reports", "year": [{"value", "sections", "reports"}], "kind": […], "unit": […]}`,
/// years as numbers, oldest first; kinds and units most sections first.
public enum FacetsJSON {
    public static func render(_ facets: Facets) -> String {
        func counts(_ counts: [Facets.Count], number: Bool = false) -> JSONValue {
            .array(counts.map {
                .object([("value", number ? .int(Int($0.value) ?? 0) : .string($0.value)),
                         ("sections", .int($0.sections)), ("reports", .int($0.reports))])
            })
        }
        return JSONValue.object([
            ("total", .int(facets.total)),
            ("reports", .int(facets.reports)),
            ("year", counts(facets.years, number: true)),
            ("kind", counts(facets.kinds)),
            ("unit", counts(facets.units)),
        ]).serialized() + "\n"
    }
}
