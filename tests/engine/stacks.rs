//! Stand-in: schema checks for S3 and API Gateway land here.
