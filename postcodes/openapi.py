"""A hand-written OpenAPI 3.1 description of GET /api/lookup."""

_ORGANISATION = {
    "type": "object",
    "required": ["slug", "acronym", "name", "psc_name", "url"],
    "properties": {
        "slug": {"type": "string", "examples": ["wessex"]},
        "acronym": {"type": "string", "examples": ["Wessex"]},
        "name": {"type": "string", "examples": ["Health Innovation Wessex"]},
        "psc_name": {"type": "string", "examples": ["Wessex Patient Safety Collaborative"]},
        "former_names": {"type": "array", "items": {"type": "string"}},
        "url": {"type": "string", "format": "uri", "description": "The public page."},
        "contact_url": {
            "type": ["string", "null"],
            "description": "Website, or a mailto: link, when one is recorded.",
        },
        "share": {
            "type": ["number", "null"],
            "minimum": 0,
            "maximum": 1,
            "description": "For a district, sector or area: the fraction of its live "
            "postcodes this organisation covers.",
        },
        "postcodes": {"type": ["integer", "null"]},
    },
}

_ANSWER = {
    "type": "object",
    "required": ["query", "kind", "found", "organisations", "data"],
    "properties": {
        "query": {"type": "string"},
        "kind": {
            "type": "string",
            "description": "What the query was read as.",
            "enum": [
                "postcode",
                "terminated",
                "sector",
                "district",
                "area",
                "icb",
                "place",
                "organisation",
                "outside_england",
                "invalid_postcode",
                "unknown_postcode",
                "not_found",
            ],
        },
        "matched": {"type": "string", "examples": ["SO16 6YD"]},
        "found": {"type": "boolean"},
        "message": {"type": ["string", "null"], "description": "Why nothing was found."},
        "organisations": {"type": "array", "items": _ORGANISATION},
        "shares": {
            "type": "array",
            "description": "For a district, sector or area: every part, largest first.",
            "items": {
                "type": "object",
                "properties": {
                    "organisation": {"type": ["string", "null"], "description": "Slug."},
                    "icb_code": {
                        "type": ["string", "null"],
                        "description": "A board no single collaborative covers.",
                    },
                    "country": {"type": ["string", "null"], "description": "Outside England."},
                    "postcodes": {"type": "integer"},
                    "share": {"type": "number"},
                },
            },
        },
        "icb": {
            "type": ["object", "null"],
            "properties": {
                "code": {"type": "string", "examples": ["E54000042"]},
                "ods_code": {"type": ["string", "null"], "examples": ["QRL"]},
                "name": {"type": "string"},
            },
        },
        "country": {"type": ["string", "null"], "examples": ["Scotland"]},
        "terminated": {
            "type": ["string", "null"],
            "pattern": "^\\d{4}-\\d{2}$",
            "description": "Year and month a retired postcode was withdrawn.",
        },
        "not_in_directory": {
            "type": ["string", "null"],
            "description": "A full postcode missing from the directory; the answer is for "
            "its sector or district.",
        },
        "notes": {"type": "array", "items": {"type": "string"}},
        "data": {
            "type": "object",
            "properties": {
                "source": {"type": "string"},
                "release": {
                    "type": ["object", "null"],
                    "properties": {
                        "name": {
                            "type": "string",
                            "examples": ["ONS Postcode Directory, May 2026 release"],
                        },
                        "date": {"type": ["string", "null"], "format": "date"},
                        "imported_at": {"type": "string", "format": "date-time"},
                    },
                },
            },
        },
    },
}


def document(server_url: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Find your patient safety collaborative",
            "version": "1.0.0",
            "description": "Which of England's 15 patient safety collaboratives covers a "
            "postcode, postcode district or sector, place, integrated care system or board.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/lookup": {
                "get": {
                    "operationId": "lookup",
                    "summary": "Find the collaborative for a postcode, place or board",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "maxLength": 100},
                            "examples": {
                                "postcode": {"value": "SO16 6YD"},
                                "district": {"value": "SP5"},
                                "place": {"value": "Southampton"},
                                "board": {"value": "E54000042"},
                            },
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The answer; found is false when nothing matched.",
                            "content": {"application/json": {"schema": _ANSWER}},
                        },
                        "400": {
                            "description": "q missing, empty, too long or with NUL characters.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["error"],
                                        "properties": {"error": {"type": "string"}},
                                    }
                                }
                            },
                        },
                    },
                }
            }
        },
    }
