package ss12000

// organisations: the huvudman, its school units and what lies between (Organisation). A client
// is served the organisations in its scope.
var organisations = &resource{
	name:  "organisations",
	from:  "organisations x",
	scope: "x.id = ANY ($1)",
	object: func(q listQuery) string {
		return object(
			"id", "x.id",
			"meta", meta,
			"displayName", "x.display_name",
			"organisationType", "x.organisation_type",
			"organisationCode", "x.organisation_code",
			"parentOrganisation", orgRef(q, "x.parent_organisation_id"),
			"schoolUnitCode", "x.school_unit_code",
			"schoolTypes", "CASE WHEN cardinality(x.school_types) > 0 THEN to_jsonb(x.school_types) END",
			"municipalityCode", "x.municipality_code",
			"address", `(SELECT jsonb_build_object('type', a.address_type, 'streetAddress', a.street_address,
				'locality', a.locality, 'postalCode', a.postal_code, 'country', a.country)
				FROM organisation_addresses a WHERE a.organisation_id = x.id)`,
			"startDate", "x.start_date",
			"endDate", "x.end_date",
		)
	},
	filters: map[string]filter{
		"parent":           {many: true, check: checkUUID, cond: "x.parent_organisation_id = ANY (%[1]s::uuid[])"},
		"schoolUnitCode":   {many: true, check: checkText, cond: "x.school_unit_code = ANY (%[1]s::text[])"},
		"organisationCode": {many: true, check: checkText, cond: "x.organisation_code = ANY (%[1]s::text[])"},
		"municipalityCode": {check: checkText, cond: "x.municipality_code = %[1]s"},
		"type":             {many: true, check: checkOneOf(organisationTypes...), cond: "x.organisation_type = ANY (%[1]s::text[])"},
		"schoolTypes":      {many: true, check: checkOneOf(schoolTypes...), cond: "x.school_types && %[1]s::text[]"},
	},
	dates: true,
	sortkeys: map[string]*sortSpec{
		"ModifiedDesc":   {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
		"DisplayNameAsc": {keys: []sortKey{{"x.display_name", "text"}}},
	},
	lookup: map[string]filter{
		"ids":               {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
		"schoolUnitCodes":   {check: checkText, cond: "x.school_unit_code = ANY (%[1]s::text[])"},
		"organisationCodes": {check: checkText, cond: "x.organisation_code = ANY (%[1]s::text[])"},
	},
}

// The standard's code lists (OrganisationTypeEnum, SchoolTypesEnum).
var (
	organisationTypes = []string{"Huvudman", "Verksamhetsområde", "Förvaltning", "Rektorsområde", "Skola", "Skolenhet",
		"Varumärke", "Bolag", "Övrigt"}
	schoolTypes = []string{"FS", "FKLASS", "FTH", "OPPFTH", "GR", "GRS", "TR", "SP", "SAM", "GY", "GYS", "VUX", "VUXSFI",
		"VUXGR", "VUXGY", "VUXSARGR", "VUXSARTR", "VUXSARGY", "SFI", "SARVUX", "SARVUXGR", "SARVUXGY", "KU", "YH", "FHS",
		"STF", "KKU", "HS", "ABU", "AU"}
)
