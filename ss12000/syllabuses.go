package ss12000

// syllabuses: the subjects and courses taught and graded (Syllabus). They are the national
// curriculum's, of no one school, so a client granted them anywhere is served them all.
var syllabuses = &resource{
	name:   "syllabuses",
	from:   "syllabuses x",
	scope:  "true",
	object: syllabusObject,
	sortkeys: map[string]*sortSpec{
		"ModifiedDesc":           {keys: []sortKey{{"x.meta_modified", "timestamptz"}}, desc: true},
		"SubjectNameAsc":         {keys: []sortKey{{"x.subject_name", "text"}}},
		"SubjectNameDesc":        {keys: []sortKey{{"x.subject_name", "text"}}, desc: true},
		"SubjectCodeAsc":         {keys: []sortKey{{"x.subject_code", "text"}}},
		"SubjectCodeDesc":        {keys: []sortKey{{"x.subject_code", "text"}}, desc: true},
		"CourseNameAsc":          {keys: []sortKey{{"coalesce(x.course_name, '')", "text"}}},
		"CourseNameDesc":         {keys: []sortKey{{"coalesce(x.course_name, '')", "text"}}, desc: true},
		"CourseCodeAsc":          {keys: []sortKey{{"coalesce(x.course_code, '')", "text"}}},
		"CourseCodeDesc":         {keys: []sortKey{{"coalesce(x.course_code, '')", "text"}}, desc: true},
		"SubjectDesignationAsc":  {keys: []sortKey{{"x.subject_code", "text"}}}, // the register designates a subject by its code
		"SubjectDesignationDesc": {keys: []sortKey{{"x.subject_code", "text"}}, desc: true},
	},
	lookup: map[string]filter{
		"ids": {check: checkUUID, cond: "x.id = ANY (%[1]s::uuid[])"},
	},
}

// syllabusObject is a Syllabus: every one the register holds is Skolverket's, so official.
func syllabusObject(listQuery) string {
	return object(
		"id", "x.id",
		"meta", meta,
		"schoolType", "x.school_type",
		"subjectCode", "x.subject_code",
		"subjectName", "x.subject_name",
		"courseCode", "x.course_code",
		"courseName", "x.course_name",
		"points", "x.points",
		"official", "true",
	)
}
