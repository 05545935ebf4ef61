[
  {
    "name": "templated",
    "image": "example/t:1.0",
    "privileged": ${privileged}
  }
]
